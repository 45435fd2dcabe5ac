package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.internal.codec.ProxyHeader;
import io.fasthttp4j.internal.codec.ProxyHeaderParser;
import io.fasthttp4j.internal.io.ConnChannel;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * The PROXY protocol stage, at the bottom of a connection from a trusted load balancer: reads the
 * header the balancer sends before the client's bytes, gives the connection the client's addresses,
 * then builds the connection's own pipeline (plain, or TLS) over the bytes after the header and passes
 * everything through to it. Works in both socket modes: non-blocking, a read returns 0 until the
 * header is complete. A malformed header fails the read with a {@link ProtocolException} naming the
 * fault; the connection is then closed without an answer (HAProxy's proxy-protocol.txt §2). Used by
 * the connection's thread; {@link #close()} from any.
 */
final class ProxyHeaderChannel implements ConnChannel {
    /** First size of the header buffer: a version 1 header (107 bytes at most) or a version 2 one with a few TLVs. */
    static final int FIRST_BUFFER_BYTES = 256;

    private final SocketChannel socket;
    private final ProxyProtocolConfig config;
    private final boolean tls;
    private final Function<ByteBuffer, ConnChannel> pipeline;   // the stages over the bytes after the header
    private ServerConn conn;
    private ProxyHeaderParser parser;
    private ByteBuffer head;          // bytes read while the header is incomplete (write mode); null once done
    private boolean inputEnded;
    private ConnChannel next;         // null until the header has been read

    /** {@code pipeline}: builds the stages above, given the bytes read after the header (null when none); {@code tls}: whether they include TLS. */
    ProxyHeaderChannel(SocketChannel socket, ProxyProtocolConfig config, boolean tls, Function<ByteBuffer, ConnChannel> pipeline) {
        this.socket = socket;
        this.config = config;
        this.tls = tls;
        this.pipeline = pipeline;
    }

    /** The connection whose addresses the header sets; before the first read. */
    void attach(ServerConn conn) {
        this.conn = conn;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (next == null && !readHeader()) return inputEnded ? -1 : 0;
        return next.read(dst);
    }

    /** Reads and decodes the header; false while it is incomplete (non-blocking) or the input ended. */
    private boolean readHeader() throws IOException {
        if (head == null) {
            head = ByteBuffer.allocate(FIRST_BUFFER_BYTES);
            parser = new ProxyHeaderParser(config.maxHeaderBytes());
        }
        while (true) {
            if (!head.hasRemaining()) head = ByteBuffer.allocate(Math.min(head.capacity() * 2, config.maxHeaderBytes() + 1)).put(head.flip());
            int n = socket.read(head);
            if (n < 0) {
                inputEnded = true;
                return false;
            }
            if (n == 0) return false;   // non-blocking: wait for more
            byte[] bytes = head.array();
            int end = head.position();
            if (config.mode() == ProxyProtocolConfig.Mode.OPTIONAL) {
                ProxyHeaderParser.Signature sig = ProxyHeaderParser.signature(bytes, 0, end);
                if (sig == ProxyHeaderParser.Signature.INCOMPLETE) continue;
                if (sig == ProxyHeaderParser.Signature.NONE) return start(null, 0);   // straight to HTTP (or TLS)
            }
            int used;
            try {
                used = parser.parse(bytes, 0, end);
            } catch (BadRequestException e) {
                throw new ProtocolException("PROXY protocol header refused: " + e.getMessage());
            }
            if (used != ProxyHeaderParser.NEED_MORE) return start(parser.header(), used);
        }
    }

    private boolean start(ProxyHeader header, int used) {
        if (header != null && !header.usesRealAddresses() && header.source() != null) {
            conn.setProxiedAddresses(header.source(), header.destination());
        }
        ByteBuffer rest = head.flip().position(used);
        next = pipeline.apply(rest.hasRemaining() ? rest : null);
        head = null;
        parser = null;
        return true;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (next == null) throw new IllegalStateException("write before the PROXY protocol header was read");
        return next.write(src);
    }

    @Override
    public boolean hasBufferedInput() {
        return next != null && next.hasBufferedInput();
    }

    @Override
    public boolean flushPending() throws IOException {
        return next == null || next.flushPending();
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (next != null) next.shutdownOutput();
        else socket.shutdownOutput();
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return next.transferFrom(file, position, count);
    }

    @Override
    public void releaseIdleBuffers() {
        if (next != null) next.releaseIdleBuffers();
    }

    @Override
    public void releaseBuffers() {
        if (next != null) next.releaseBuffers();
    }

    @Override
    public boolean isTls() {
        return tls;
    }

    @Override
    public SSLSession tlsSession() {
        return next == null ? null : next.tlsSession();
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
