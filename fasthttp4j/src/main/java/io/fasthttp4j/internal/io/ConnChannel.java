package io.fasthttp4j.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;

/**
 * A server connection's byte pipeline below the HTTP codec: the transports read and write through
 * it and never touch the socket for data. Plain TCP is {@link PlainChannel}; a TLS stage decrypts
 * and encrypts in between, and works in both of the socket's modes: blocking (the virtual-thread
 * transport) and non-blocking (the event loop, where a read or write may return 0).
 *
 * <p>A stage may hold bytes on either side: input already decoded that a read returns without
 * touching the socket ({@link #hasBufferedInput()}; a selector does not wake for those), and output
 * the socket has not taken yet ({@link #flushPending()}). Used by one thread at a time, except
 * {@link #close()}, which any thread may call to end the connection.
 */
public interface ConnChannel extends ByteChannel {
    /**
     * Reads decoded bytes into {@code dst}: the count, 0 when none are there yet (non-blocking mode, or
     * a TLS handshake record that carried no data), or -1 at the end of the stream.
     */
    @Override
    int read(ByteBuffer dst) throws IOException;

    /**
     * Takes bytes from {@code src}; returns how many were taken. A stage that encodes may take bytes
     * it has not sent yet: {@link #flushPending()} sends them.
     */
    @Override
    int write(ByteBuffer src) throws IOException;

    /** True when a read would return bytes without touching the socket. */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * Sends what earlier writes (or a handshake) left pending. True when nothing is pending; false in
     * non-blocking mode when the socket took only part: wait until it is writable and call again.
     */
    default boolean flushPending() throws IOException {
        return true;
    }

    /** Ends the output (TLS: close_notify first) while input can still be read and dropped. */
    void shutdownOutput() throws IOException;

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}; returns how many were sent.
     * Blocking mode only. Plain TCP uses sendfile(2) where the JDK can; an encoding stage copies.
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /** Gives back pooled buffers that hold nothing, while the connection waits idle. */
    default void releaseIdleBuffers() {
    }

    /**
     * The connection has ended: gives back every pooled buffer, whatever it holds. Only on the thread
     * that used the channel last, after closing it; the channel is not used again.
     */
    default void releaseBuffers() {
    }

    /** True when this pipeline has a TLS stage (from the start: before its handshake too). */
    default boolean isTls() {
        return false;
    }

    /** The TLS session once the handshake has finished; null before, and without TLS. */
    default SSLSession tlsSession() {
        return null;
    }

    /** The socket underneath, for its mode, selector registration and addresses; null in memory. */
    SocketChannel socket();

    /** Moves as many bytes as fit from {@code from} to {@code to}, advancing both; returns the count. Allocates nothing. */
    static int transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        to.put(to.position(), from, from.position(), n);   // absolute bulk put: no slice allocated
        to.position(to.position() + n);
        from.position(from.position() + n);
        return n;
    }
}
