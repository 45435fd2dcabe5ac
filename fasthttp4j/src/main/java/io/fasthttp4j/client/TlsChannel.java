package io.fasthttp4j.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS over a blocking {@link SocketChannel} with an {@link SSLEngine}: a handshake, then application
 * bytes in and out as records. Blocking, like the plain channel, so the client's deadlines work the
 * same way: the sweeper closes the socket and the blocked read or write fails.
 *
 * <p>Threads: one reader and one writer may use it at once (a {@link PipelineConn}'s two threads; a
 * {@link ClientConn} uses both halves from its caller's thread). The engine lets {@code wrap} and
 * {@code unwrap} run concurrently; what is ours to order is the records, which must reach the socket
 * in the order the engine sealed them (each carries the next sequence number), so a wrap and its
 * socket write happen together under {@link #writeLock}. {@link #close} may run on the sweeper's
 * thread only for a connection nobody uses. Holds three buffers of about one TLS record (16 KiB) each
 * for the connection's life.
 */
final class TlsChannel implements ByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final ReentrantLock writeLock = new ReentrantLock();   // held from wrap to socket write: records in sequence order
    private ByteBuffer netIn;    // records from the socket, not yet unwrapped; kept flipped (position..limit unread); the reader's
    private ByteBuffer netOut;   // one wrapped record on its way to the socket; guarded by writeLock
    private ByteBuffer appIn;    // plaintext unwrapped but not yet handed out; kept flipped; the reader's

    TlsChannel(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    }

    /**
     * Runs the handshake to its end, blocking; the caller's deadline bounds it (the sweeper closes the
     * socket). On a failure, the engine's alert is sent if the socket takes it at once.
     *
     * @throws SSLHandshakeException when the peer is not trusted, the name does not match, or the
     *                               peer broke off; {@link IOException} when the socket failed
     */
    void handshake() throws IOException {
        try {
            engine.beginHandshake();
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            while (status != SSLEngineResult.HandshakeStatus.FINISHED && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                status = switch (status) {
                    case NEED_WRAP -> sendHandshake();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapForHandshake();
                    case NEED_TASK -> runTasks();
                    default -> throw new IllegalStateException("handshake status " + status);
                };
            }
        } catch (SSLException e) {
            sendAlertIfAny();
            throw e;
        }
    }

    private SSLEngineResult.HandshakeStatus sendHandshake() throws IOException {
        writeLock.lock();
        try {
            return wrapAndWrite(EMPTY);
        } finally {
            writeLock.unlock();
        }
    }

    private SSLEngineResult.HandshakeStatus unwrapForHandshake() throws IOException {
        appIn.compact();   // keeps any application data that came with the last handshake record
        SSLEngineResult result = engine.unwrap(netIn, appIn);
        appIn.flip();
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (fill() < 0) throw new SSLHandshakeException("the server closed the connection during the TLS handshake");
            }
            case BUFFER_OVERFLOW -> growAppIn();
            case CLOSED -> throw new SSLHandshakeException("the server closed TLS during the handshake");
            case OK -> { }
        }
        return result.getHandshakeStatus();
    }

    private SSLEngineResult.HandshakeStatus runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
        return engine.getHandshakeStatus();
    }

    /** Reads plaintext into {@code dst}: at least one byte, or -1 at the end (close_notify or the socket's EOF). */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (!appIn.hasRemaining()) {
            appIn.clear();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            appIn.flip();
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    // A peer that closes without close_notify ends the stream here too; the HTTP framing
                    // decides whether the response was complete (a close-delimited body is trusted as is).
                    if (fill() < 0) return -1;
                }
                case BUFFER_OVERFLOW -> growAppIn();
                case CLOSED -> {
                    return -1;
                }
                case OK -> afterRecord(result.getHandshakeStatus());   // a ticket or key update carries no plaintext
            }
        }
        return transfer(appIn, dst);
    }

    // TLS 1.3 post-handshake messages: a KeyUpdate asks for one in return.
    private void afterRecord(SSLEngineResult.HandshakeStatus status) throws IOException {
        while (true) {
            switch (status) {
                case NEED_TASK -> status = runTasks();
                case NEED_WRAP -> {
                    // RFC 8446 §4.6.3: our KeyUpdate must precede our next application data, not follow at
                    // once. A writer holding the lock sends it with its next record; waiting for the lock
                    // could deadlock the reader behind a write that waits for the server to read.
                    if (!writeLock.tryLock()) return;
                    try {
                        status = wrapAndWrite(EMPTY);
                    } finally {
                        writeLock.unlock();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Writes all of {@code src}, in records; returns the number of bytes written. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int written = src.remaining();
        writeLock.lock();   // uncontended but for a reader answering a KeyUpdate: no allocation
        try {
            while (src.hasRemaining()) wrapAndWrite(src);
        } finally {
            writeLock.unlock();
        }
        return written;
    }

    // guarded by writeLock
    private SSLEngineResult.HandshakeStatus wrapAndWrite(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(src, netOut);
        netOut.flip();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {   // nothing consumed: retried with room
            netOut = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), netOut.capacity() * 2));
            return result.getHandshakeStatus();
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && !netOut.hasRemaining()) throw new ClosedChannelException();
        while (netOut.hasRemaining()) socket.write(netOut);
        return result.getHandshakeStatus();
    }

    /** Reads more records from the socket after the unread ones; returns the bytes read, or -1 at EOF. */
    private int fill() throws IOException {
        netIn.compact();   // back to fill mode, the unread part moved to the front
        try {
            if (!netIn.hasRemaining()) growNetIn();
            int n = socket.read(netIn);
            if (n == 0) throw new IOException("read returned 0 bytes in blocking mode");
            return n;
        } finally {
            netIn.flip();
        }
    }

    // The session may announce a larger record size after the handshake.
    private void growNetIn() {
        int size = Math.max(engine.getSession().getPacketBufferSize(), netIn.capacity() * 2);
        netIn = ByteBuffer.allocate(size).put(netIn.flip());
    }

    private void growAppIn() {
        int size = Math.max(engine.getSession().getApplicationBufferSize(), appIn.capacity() * 2);
        appIn = ByteBuffer.allocate(size).put(appIn).flip();   // keeps what was not handed out yet
    }

    private static int transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        to.put(to.position(), from, from.position(), n);   // absolute bulk put: no slice allocated
        to.position(to.position() + n);
        from.position(from.position() + n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /**
     * Sends close_notify if the socket takes it at once, then closes the socket. Best effort: never
     * blocks, so it is safe on the sweeper's thread. Only for a connection no caller is using.
     */
    @Override
    public void close() {
        if (socket.isOpen()) {
            engine.closeOutbound();
            sendAlertIfAny();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }

    // One non-blocking write of what the engine has to say (an alert or close_notify), if anything.
    // No lock: only during the handshake or on a connection nobody uses.
    private void sendAlertIfAny() {
        try {
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            if (!netOut.hasRemaining() || !socket.isOpen()) return;
            socket.configureBlocking(false);
            socket.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // the peer learns of the end from the closed socket instead
        }
    }
}
