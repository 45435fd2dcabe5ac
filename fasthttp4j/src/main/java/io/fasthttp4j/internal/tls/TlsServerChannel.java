package io.fasthttp4j.internal.tls;

import io.fasthttp4j.internal.io.ConnChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSession;

/**
 * TLS on the server side of a connection: a server-mode {@link SSLEngine} over a socket in either
 * mode. Blocking: reads and writes wait for the socket. Non-blocking: a read returns 0 until a whole
 * record with data is there, and a write takes at most what fits in one pending record beyond what the
 * socket accepted; {@link #flushPending()} sends the rest. The handshake runs inside whichever call
 * needs it, its delegated tasks inline. Client-initiated renegotiation (TLS 1.2) is refused; TLS 1.3
 * key updates are answered.
 *
 * <p>An event loop drives it so: whenever the key is ready, call {@link #flushPending()} first, and
 * while it returns false wait for OP_WRITE only. Write what is to be sent; if {@link #write} did not
 * take it all or {@link #flushPending()} then returns false, wait for OP_WRITE. When {@link #read}
 * returns 0, call {@link #flushPending()} (the read may have produced handshake output; false: OP_WRITE),
 * then {@link #hasBufferedInput()}: true means read again now, since the selector does not wake for
 * bytes already inside the channel; false means wait for OP_READ. The same check belongs before going
 * back to OP_READ after handling a request, for pipelined requests. After {@link #shutdownOutput()},
 * close once {@link #flushPending()} returns true.
 *
 * <p>Holds up to three buffers of one TLS record (about 16 KiB each) while bytes are in flight, taken
 * from the server's {@link TlsBuffers} when needed and given back by {@link #releaseIdleBuffers()} when
 * empty, so an idle keep-alive connection holds only its engine; {@link #releaseBuffers()} gives back
 * all of them when the connection ends. Used by one thread at a time; {@link #close()} from any thread.
 * After a TLS error the socket is closed and the {@link SSLException} thrown.
 */
public final class TlsServerChannel implements ConnChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER_BYTES = 5;   // RFC 8446 §5.1: type, version (2), length (2)
    private static final byte HANDSHAKE_RECORD = 22;
    /** Bytes a blocking read waits with before it takes a record buffer: a small request's whole first record. */
    static final int WAIT_BYTES = 2048;

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final TlsBuffers buffers;   // null: allocate, and let the collector take them
    private ByteBuffer netIn;      // records read, not yet unwrapped; read mode; null while empty and idle
    private ByteBuffer appIn;      // plaintext unwrapped, not yet read; read mode; null while empty and idle
    private ByteBuffer netOut;     // records wrapped, not yet sent; read mode; null while empty and idle
    private ByteBuffer fileChunk;  // transferFrom's plaintext; null while idle
    private ByteBuffer waitBuffer; // what a blocking read waits with while netIn is null; see fillWaiting
    private boolean handshaken;    // the first handshake finished
    private boolean renegotiable;  // the protocol is TLS 1.2 or older: a handshake record now is a renegotiation
    private boolean inputEnded;    // close_notify or the socket's end came
    private boolean shutdownPending;  // shutdownOutput() was called; the socket's output is shut once flushed

    /** {@code engine}: a server-mode engine, e.g. from {@code TlsConfig.newEngine}; the handshake starts on first use. */
    public TlsServerChannel(SocketChannel socket, SSLEngine engine) {
        this(socket, engine, null);
    }

    /** As {@link #TlsServerChannel(SocketChannel, SSLEngine)}, with buffers from {@code buffers} (null: allocated). */
    public TlsServerChannel(SocketChannel socket, SSLEngine engine, TlsBuffers buffers) {
        if (engine.getUseClientMode()) throw new IllegalArgumentException("the engine is in client mode");
        this.socket = socket;
        this.engine = engine;
        this.buffers = buffers;
    }

    /** An empty buffer in read mode of at least {@code bytes}. */
    private ByteBuffer take(int bytes) {
        return (buffers != null ? buffers.acquire(bytes) : ByteBuffer.allocate(bytes)).flip();
    }

    /** Gives {@code buffer} back (if pooled); returns null for the field that held it. */
    private ByteBuffer give(ByteBuffer buffer) {
        if (buffers != null) buffers.release(buffer);
        return null;
    }

    /**
     * Reads plaintext into {@code dst}: the count; 0 in non-blocking mode when no whole record with data
     * is there (the handshake progressed as far as the socket allowed), or when {@code dst} is full;
     * -1 after the client's close_notify or the socket's end.
     *
     * @throws SSLException when the client breaks the protocol (garbage, a bad certificate, a
     *                      renegotiation); the socket is closed
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        try {
            while (true) {
                if (appIn != null && appIn.hasRemaining()) return ConnChannel.transfer(appIn, dst);
                if (inputEnded) return -1;
                if (!dst.hasRemaining()) return 0;
                if (!step()) return inputEnded ? -1 : 0;
            }
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    // One step of the engine towards plaintext: false when it must wait for the socket, or the input ended.
    private boolean step() throws IOException {
        return switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> runTasks();
            case NEED_WRAP -> wrapHandshake();
            default -> unwrap();
        };
    }

    private boolean unwrap() throws IOException {
        if (netIn == null || !netIn.hasRemaining()) return fill() > 0;
        refuseRenegotiation();
        if (appIn == null) appIn = take(engine.getSession().getApplicationBufferSize());
        appIn.clear();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
        }
        noteFinished(result);
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                return fill() > 0;
            }
            case BUFFER_OVERFLOW -> appIn = grown(appIn, engine.getSession().getApplicationBufferSize(), "plaintext of one record");
            case CLOSED -> inputEnded = true;   // close_notify
            case OK -> { }
        }
        return !inputEnded;
    }

    // RFC 5746 renegotiation: a handshake record after the first handshake on TLS 1.2 or older. Refused:
    // no HTTP/1.1 client needs it, and it lets one client cost the server a handshake per request.
    // TLS 1.3 has none; its post-handshake messages travel as application_data records.
    private void refuseRenegotiation() throws SSLProtocolException {
        if (renegotiable && netIn.get(netIn.position()) == HANDSHAKE_RECORD) {
            throw new SSLProtocolException("TLS renegotiation refused");
        }
    }

    /** Reads more records from the socket after the unread ones: the count, 0 when none (non-blocking), -1 at the end. */
    private int fill() throws IOException {
        if (netIn == null && socket.isBlocking()) return fillWaiting();
        if (netIn == null) netIn = take(engine.getSession().getPacketBufferSize());
        if (netIn.position() == 0 && netIn.limit() == netIn.capacity()) {   // full, and the record still incomplete
            netIn = grown(netIn, engine.getSession().getPacketBufferSize(), "one record");
        }
        netIn.compact();
        int n;
        try {
            n = socket.read(netIn);
        } finally {
            netIn.flip();
        }
        if (n < 0) inputEnded = true;   // without close_notify: the HTTP framing tells a cut request from a whole one
        return n;
    }

    /**
     * A blocking read with no record buffer: it may wait as long as the connection is idle, so it waits
     * with the connection's small array of {@value #WAIT_BYTES} bytes, and only what arrives takes a
     * pooled buffer (as the plain transport waits with its first-read buffer).
     */
    private int fillWaiting() throws IOException {
        if (waitBuffer == null) waitBuffer = ByteBuffer.allocate(WAIT_BYTES);
        waitBuffer.clear();
        int n = socket.read(waitBuffer);
        if (n < 0) {
            inputEnded = true;
            return n;
        }
        netIn = take(engine.getSession().getPacketBufferSize());
        netIn.clear();
        netIn.put(waitBuffer.flip());
        netIn.flip();
        return n;
    }

    /**
     * Takes plaintext from {@code src}, encrypts it and sends it; returns how many bytes were taken.
     * Blocking mode: all of them, sent. Non-blocking mode: 0 while the handshake waits for the client or
     * earlier output is pending; otherwise what the socket took plus at most one record, which
     * {@link #flushPending()} sends.
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        try {
            if (!handshaken && !finishHandshake()) return 0;
            int taken = 0;
            while (src.hasRemaining() && flush()) {
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) runTasks();
                SSLEngineResult result = wrap(src);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) throw new ClosedChannelException();
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) throw new SSLException("TLS engine made no progress: " + result);
                taken += result.bytesConsumed();
            }
            flush();
            return taken;
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    // Drives the first handshake: false when it must wait for the socket (non-blocking).
    private boolean finishHandshake() throws IOException {
        while (!handshaken) {
            if (inputEnded) throw new SSLHandshakeException("the client closed the connection during the TLS handshake");
            if (appIn != null && appIn.hasRemaining()) throw new IllegalStateException("plaintext before the handshake finished");
            if (!step()) return false;
        }
        return true;
    }

    /**
     * Sends what earlier writes, the handshake or a key update left pending, and the close_notify of
     * {@link #shutdownOutput()}. True when nothing is pending; false in non-blocking mode when the socket
     * took only part: wait until it is writable, then call again.
     */
    @Override
    public boolean flushPending() throws IOException {
        try {
            while (true) {
                if (!flush()) return false;
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> wrapEngineMessage();
                    default -> {
                        if (shutdownPending) {
                            shutdownPending = false;
                            socket.shutdownOutput();
                        }
                        return true;
                    }
                }
            }
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    // Wraps what the handshake has to send and sends it: false when the socket did not take it all (non-blocking).
    private boolean wrapHandshake() throws IOException {
        if (!flush()) return false;
        wrapEngineMessage();
        return flush();
    }

    // A handshake message, key update or alert the engine asks to send (NEED_WRAP).
    private void wrapEngineMessage() throws SSLException {
        SSLEngineResult result = wrap(EMPTY);
        if (result.bytesProduced() == 0 && result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            throw new SSLException("TLS engine made no progress: " + result);
        }
    }

    // Wraps src (or the engine's own message) into netOut, which is empty: callers flush first.
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        if (netOut == null) netOut = take(engine.getSession().getPacketBufferSize());
        while (true) {
            netOut.clear();
            SSLEngineResult result;
            try {
                result = engine.wrap(src, netOut);
            } finally {
                netOut.flip();
            }
            noteFinished(result);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) return result;
            netOut = grown(netOut, engine.getSession().getPacketBufferSize(), "one wrapped record");
        }
    }

    /** Sends netOut: true when all of it went; false when a non-blocking socket took only part. */
    private boolean flush() throws IOException {
        if (netOut == null) return true;
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0 && !socket.isBlocking()) return false;
        }
        return true;
    }

    private boolean runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
        return true;
    }

    private void noteFinished(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshaken) {
            handshaken = true;
            renegotiable = !"TLSv1.3".equals(engine.getSession().getProtocol());
        }
    }

    /** A larger buffer with {@code old}'s unread bytes, in read mode; at most the session's {@code bound}. {@code old} goes back. */
    private ByteBuffer grown(ByteBuffer old, int bound, String what) throws SSLException {
        if (old.capacity() >= bound) throw new SSLException(what + " exceeds the session's " + bound + " byte limit");
        ByteBuffer bigger = ByteBuffer.allocate(bound).put(old).flip();
        give(old);
        return bigger;
    }

    // Sends the engine's alert if the socket takes it at once, closes the socket, and returns e to throw.
    private SSLException fail(SSLException e) {
        try {
            engine.closeOutbound();   // after a fatal error the engine has closed already; for a refusal: close_notify
            if (netOut == null || !netOut.hasRemaining()) {   // an alert after half a record would be garbage
                wrap(EMPTY);
                socket.write(netOut);   // one try; a blocking socket waits at most until the sweeper closes it
            }
        } catch (IOException | RuntimeException ignored) {
            // the client learns of the end from the closed socket instead
        }
        closeQuietly();
        return e;
    }

    /**
     * Sends close_notify, then shuts the socket's output; input can still be read. Non-blocking mode:
     * if the socket does not take it all, {@link #flushPending()} finishes it.
     */
    @Override
    public void shutdownOutput() throws IOException {
        engine.closeOutbound();
        shutdownPending = true;
        flushPending();
    }

    /** Encrypts and sends {@code count} bytes of {@code file} from {@code position}; blocking mode only. */
    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        if (!socket.isBlocking()) throw new IllegalStateException("transferFrom needs the socket in blocking mode");
        if (fileChunk == null) fileChunk = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        long sent = 0;
        while (sent < count) {
            fileChunk.clear().limit((int) Math.min(fileChunk.capacity(), count - sent));
            int n = file.read(fileChunk, position + sent);
            if (n < 0) break;
            fileChunk.flip();
            write(fileChunk);   // blocking: takes and sends it all
            sent += n;
        }
        return sent;
    }

    /** True when a read would return plaintext or the end without touching the socket: the selector does not wake for those. */
    @Override
    public boolean hasBufferedInput() {
        if (inputEnded || appIn != null && appIn.hasRemaining()) return true;
        if (netIn == null || netIn.remaining() < RECORD_HEADER_BYTES) return false;
        int length = netIn.getShort(netIn.position() + 3) & 0xffff;
        return netIn.remaining() >= RECORD_HEADER_BYTES + length;
    }

    /** Drops the buffers that hold nothing; they are taken again when needed. */
    @Override
    public void releaseIdleBuffers() {
        if (netIn != null && !netIn.hasRemaining()) netIn = give(netIn);
        if (appIn != null && !appIn.hasRemaining()) appIn = give(appIn);
        if (netOut != null && !netOut.hasRemaining()) netOut = give(netOut);
        fileChunk = null;
    }

    /**
     * The connection has ended: gives back every buffer, whatever it holds, and closes the engine, so
     * that a provider with native state (Conscrypt: an SSL object and two pipes per engine) frees it now
     * instead of when the collector finds the engine. Its own thread only; the channel is not used again.
     */
    @Override
    public void releaseBuffers() {
        if (netIn != null) netIn = give(netIn);
        if (appIn != null) appIn = give(appIn);
        if (netOut != null) netOut = give(netOut);
        fileChunk = null;
        engine.closeOutbound();
        drainOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException ignored) {
            // "closed before the peer's close_notify": expected, the socket is closed already
        }
    }

    // An engine counts as closed only once its close_notify has been wrapped; Conscrypt frees its native
    // state only then. The socket is closed: the record is wrapped into a scratch buffer and dropped.
    private void drainOutbound() {
        if (engine.isOutboundDone()) return;
        ByteBuffer scratch = take(engine.getSession().getPacketBufferSize());
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                scratch.clear();
                engine.wrap(EMPTY, scratch);
            }
        } catch (SSLException | RuntimeException ignored) {
            // a broken engine: nothing more to free here
        } finally {
            give(scratch);
        }
    }

    /** Bytes of buffer this channel holds now: about 16 KiB per buffer in use, 0 once idle buffers were released. */
    public int heldBufferBytes() {
        return capacity(netIn) + capacity(appIn) + capacity(netOut) + capacity(fileChunk);
    }

    private static int capacity(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.capacity();
    }

    /** The session once the first handshake finished (its peer certificates for mutual TLS); null before. */
    public SSLSession session() {
        return handshaken ? engine.getSession() : null;
    }

    @Override
    public boolean isTls() {
        return true;
    }

    @Override
    public SSLSession tlsSession() {
        return session();
    }

    /**
     * Puts bytes that were read from the socket before this stage existed (after a PROXY protocol
     * header) in front of what it reads; before the channel's first use only.
     */
    public void unread(ByteBuffer bytes) {
        if (netIn != null) throw new IllegalStateException("unread after the channel's first use");
        netIn = take(Math.max(bytes.remaining(), engine.getSession().getPacketBufferSize()));
        netIn.clear();
        netIn.put(bytes);
        netIn.flip();
    }

    /** True once the first handshake finished; until then the server's handshake timeout applies. */
    public boolean isHandshakeComplete() {
        return handshaken;
    }

    /** The ALPN protocol chosen ("" when the client sent no ALPN); null before the handshake finished. */
    public String applicationProtocol() {
        return handshaken ? engine.getApplicationProtocol() : null;
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the socket without close_notify (call {@link #shutdownOutput()} first for a graceful end). Any thread. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the descriptor is released either way
        }
    }
}
