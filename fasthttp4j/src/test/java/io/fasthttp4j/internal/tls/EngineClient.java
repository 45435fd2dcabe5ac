package io.fasthttp4j.internal.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;

/**
 * A TLS client driven by hand with an {@link SSLEngine} over a plain socket, for what a ready client
 * will not do: send its bytes one at a time (each its own TCP segment), stop in the middle of a
 * handshake, renegotiate, or send close_notify and wait for the server's.
 * Public for the server's HTTPS tests in {@code io.fasthttp4j.server}.
 */
public final class EngineClient implements AutoCloseable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private final boolean dribble;
    private final ByteBuffer netIn = ByteBuffer.allocate(1 << 17).flip();   // read mode
    private final ByteBuffer netOut = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer appIn = ByteBuffer.allocate(1 << 17);          // write mode: plaintext not yet taken

    private EngineClient(int port, SSLContext context, String protocol, boolean dribble) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);   // each dribbled byte its own segment
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = context.createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        engine.setSSLParameters(parameters);
        this.dribble = dribble;
    }

    /** Connects to 127.0.0.1:{@code port}, offering only {@code protocol} ("TLSv1.3"); {@code dribble}: send byte by byte. */
    public static EngineClient connect(int port, SSLContext context, String protocol, boolean dribble) throws IOException {
        return new EngineClient(port, context, protocol, dribble);
    }

    /** Runs the whole handshake. */
    public void handshake() throws IOException {
        engine.beginHandshake();
        finishHandshake();
    }

    /** Wraps the ClientHello without sending it: the bytes to send by hand. */
    public byte[] clientHello() throws IOException {
        engine.beginHandshake();
        netOut.clear();
        engine.wrap(EMPTY, netOut);
        netOut.flip();
        return Arrays.copyOfRange(netOut.array(), 0, netOut.limit());
    }

    /** Goes on with a handshake until it ends; throws EOFException if the server ends the connection first. */
    void finishHandshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrapAndSend(EMPTY);
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult result = unwrapOne();
                    if (result == null || result.getStatus() == SSLEngineResult.Status.CLOSED) throw new EOFException("the server ended the handshake");
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Starts a new handshake on an established connection: a renegotiation on TLS 1.2, a key update on TLS 1.3. */
    void renegotiate() throws IOException {
        engine.beginHandshake();
        finishHandshake();
    }

    /** The negotiated protocol version. */
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    public void write(byte[] data) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) wrapAndSend(src);
    }

    /** Sends each message as a record of its own, all records in one socket write. */
    void writeRecordsAtOnce(byte[]... messages) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(messages.length * engine.getSession().getPacketBufferSize());
        for (byte[] message : messages) {
            SSLEngineResult result = engine.wrap(ByteBuffer.wrap(message), all);
            if (result.bytesConsumed() != message.length) throw new IllegalStateException("wrap: " + result);
        }
        send(all.array(), 0, all.position());
    }

    /** Reads exactly {@code n} bytes of plaintext. */
    public byte[] read(int n) throws IOException {
        while (appIn.position() < n) {
            SSLEngineResult result = unwrapOne();
            if (result == null || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new EOFException("the server ended the stream after " + appIn.position() + " of " + n + " bytes");
            }
            finishHandshake();   // a key update asks for one in return
        }
        appIn.flip();
        byte[] data = new byte[n];
        appIn.get(data);
        appIn.compact();
        return data;
    }

    /** Reads and drops {@code n} bytes of plaintext. */
    void skip(long n) throws IOException {
        for (long skipped = 0; skipped < n; ) {
            SSLEngineResult result = unwrapOne();
            if (result == null || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new EOFException("the server ended the stream after " + skipped + " of " + n + " bytes");
            }
            skipped += appIn.position();
            appIn.clear();
        }
    }

    /** Sends close_notify. */
    public void closeOutbound() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) wrapAndSend(EMPTY);
    }

    /** Reads until the server's close_notify (true) or the socket's end without one (false). */
    public boolean awaitCloseNotify() throws IOException {
        while (true) {
            SSLEngineResult result = unwrapOne();
            if (result == null) return false;
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) return engine.isInboundDone();
        }
    }

    /** Sends bytes as they are, outside TLS. */
    public void sendRaw(byte[] data, int from, int to) throws IOException {
        send(data, from, to);
    }

    private void wrapAndSend(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(src, netOut);
        if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) {
            throw new IllegalStateException("wrap: " + result);
        }
        send(netOut.array(), 0, netOut.position());
    }

    private void send(byte[] data, int from, int to) throws IOException {
        if (!dribble) {
            out.write(data, from, to - from);
            return;
        }
        for (int i = from; i < to; i++) {
            out.write(data[i]);
            out.flush();
        }
    }

    // One record unwrapped into appIn, reading the socket as needed; null when the socket ended first.
    private SSLEngineResult unwrapOne() throws IOException {
        while (true) {
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) return result;
            netIn.compact();
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n > 0) netIn.position(netIn.position() + n);
            netIn.flip();
            if (n < 0) return null;
        }
    }

    /** Whether the server closed the socket: a read sees the end (any TLS bytes before it are skipped). */
    public boolean awaitSocketEnd() throws IOException {
        try {
            while (in.read() >= 0) { }
            return true;
        } catch (java.net.SocketException reset) {
            return true;   // a reset ends it too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
