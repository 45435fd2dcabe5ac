package io.fasthttp4j.server;

import io.fasthttp4j.internal.io.ConnChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted connection: its channel, identity and deadline. The deadline is a plain field that the
 * server's sweeper compares with the clock and enforces by closing the channel, which makes the
 * blocked read or write fail; a per-socket timeout would cost more than the request (DESIGN.md).
 */
final class ServerConn {
    static final int NEW = 0;
    static final int ACTIVE = 1;
    static final int IDLE = 2;
    static final int HIJACKED = 3;
    static final int CLOSED = 4;

    final ConnChannel channel;                      // the byte pipeline: plain, or TLS over the socket
    final SocketChannel socket;                     // the socket underneath; null in memory
    final long id;
    final long connTimeMillis = System.currentTimeMillis();
    volatile SocketAddress remoteAddress;           // the socket's peer, or the client a PROXY protocol header names
    volatile SocketAddress localAddress;
    final InetAddress remoteIp;                     // null unless maxConnsPerIp counts it
    private final AtomicInteger state = new AtomicInteger(NEW);
    private long readDeadlineNanos;                 // 0: none. Separate from the write deadline, so that
    private long writeDeadlineNanos;                // flushing mid-request does not extend the request's time
    long requestCount;                              // runs on the connection's thread only
    volatile Owner owner;                           // the event loop's state for it while a loop owns it, or null

    /** What owns a connection that another thread may not close directly (an event loop). */
    interface Owner {
        /** Asks the owner to close the connection on its own thread. */
        void requestClose();
    }

    private byte[] firstRead;                      // what an idle connection waits with; see firstReadBuffer()
    private ByteBuffer firstReadWrap;

    ServerConn(ConnChannel channel, long id, SocketAddress remoteAddress, SocketAddress localAddress, InetAddress remoteIp) {
        this.channel = channel;
        this.socket = channel.socket();
        this.id = id;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.remoteIp = remoteIp;
    }

    /** True when the connection speaks TLS: its channel decrypts what the socket reads. */
    boolean isTls() {
        return channel.isTls();
    }

    /** The client's and the server's addresses as a PROXY protocol header gave them, in place of the socket's. */
    void setProxiedAddresses(SocketAddress client, SocketAddress server) {
        remoteAddress = client;
        localAddress = server;
    }

    static InetAddress ipOf(SocketChannel channel) throws IOException {
        return channel.getRemoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    int state() {
        return state.get();
    }

    /** Moves from {@code from} to {@code to}; false if another thread moved it first (shutdown, sweeper). */
    boolean transition(int from, int to) {
        return state.compareAndSet(from, to);
    }

    void setState(int to) {
        state.set(to);
    }

    /** Sets the deadline by which the bytes being awaited must have arrived: the request's or the idle wait's. */
    void setReadDeadline(long deadlineNanos) {
        readDeadlineNanos = deadlineNanos;
    }

    // Deadlines are written by the connection's thread several times a request and read by the sweeper
    // every few milliseconds. Plain stores: the sweeper reads them with getOpaque, which sees each
    // write eventually (at once on x86, where a store is not reordered with later stores), and that is
    // all a sweep that runs every few milliseconds needs. A volatile store costs a fence per write,
    // and a VarHandle store on this path was not always inlined.
    private static final VarHandle READ_DEADLINE;
    private static final VarHandle WRITE_DEADLINE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            READ_DEADLINE = lookup.findVarHandle(ServerConn.class, "readDeadlineNanos", long.class);
            WRITE_DEADLINE = lookup.findVarHandle(ServerConn.class, "writeDeadlineNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Sets the deadline for the write about to start; {@link #clearWriteDeadline} when it is done. */
    void setWriteDeadline(long deadlineNanos) {
        writeDeadlineNanos = deadlineNanos;
    }

    /** The request has been read: the handler's time is not the client's to be cut off for. */
    void clearReadDeadline() {
        readDeadlineNanos = 0;
    }

    void clearWriteDeadline() {
        writeDeadlineNanos = 0;
    }

    void clearDeadlines() {
        readDeadlineNanos = 0;
        writeDeadlineNanos = 0;
    }

    /** True when a deadline is set and has passed at {@code nowNanos}. */
    boolean isOverdue(long nowNanos) {
        long r = (long) READ_DEADLINE.getOpaque(this);
        long w = (long) WRITE_DEADLINE.getOpaque(this);
        return (r != 0 && nowNanos - r > 0) || (w != 0 && nowNanos - w > 0);
    }

    /** Bytes an idle connection reads its next request's start into: a whole typical request, or 16 pipelined small ones. */
    static final int FIRST_READ_BYTES = 2048;

    /** The small buffer the connection waits with between requests, so that idle it holds no pooled buffers. */
    byte[] firstReadBuffer() {
        if (firstRead == null) {
            firstRead = new byte[FIRST_READ_BYTES];
            firstReadWrap = ByteBuffer.wrap(firstRead);
        }
        return firstRead;
    }

    /** Reads into {@link #firstReadBuffer()} from its start; returns the count, or -1 at end of stream. Blocks. */
    int readFirst() throws IOException {
        firstReadBuffer();
        firstReadWrap.clear();
        return channel.read(firstReadWrap);
    }

    /** Reads into {@code dst}; returns the count, or -1 at end of stream (0 when non-blocking and nothing is there). */
    int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    /** Writes all of {@code src}, and what the channel's stages still hold. Blocks. */
    void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) channel.write(src);
        channel.flushPending();
    }

    /** Writes what the socket takes now of {@code src}, without blocking; returns the count. */
    int writeSome(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    /**
     * Before closing after a response: TLS sends close_notify (RFC 8446 §6.1), as far as the socket
     * takes it now in non-blocking mode, so the client can tell the end from a truncation (openssl
     * reports "unexpected eof" without it). Plain TCP: nothing. Errors are dropped: the close follows.
     */
    void closeNotify() {
        if (!isTls()) return;
        try {
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // the client is gone: the close follows either way
        }
    }

    /**
     * Ends the connection from another thread (a deadline passed, shutdown): a blocked worker's read
     * or write fails at once; an event loop is asked to close it on its own thread.
     */
    void abort() {
        Owner o = owner;
        if (o != null) o.requestClose();
        else close();
    }

    /**
     * Closes the connection and gives back its channel's pooled buffers: on the connection's own thread
     * (its worker, its loop, the virtual thread it was handed to), once that is done with it.
     */
    void finish() {
        close();
        channel.releaseBuffers();
    }

    /** Closes the channel; safe to call more than once and from any thread. */
    void close() {
        state.set(CLOSED);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with the error
        }
    }
}
