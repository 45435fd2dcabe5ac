package io.fasthttp4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * A connection handed over by {@link RequestCtx#hijack}: raw bytes both ways, as streams or as the
 * channel. Bytes the client sent after the hijacked request, which the server had already read,
 * come first from {@link #inputStream()} (and from {@link #readBuffered}). Used by one thread.
 */
public final class HijackedConnection {
    private final ByteChannel channel;
    private final SocketChannel socket;
    private final ByteBuffer buffered;
    private final SocketAddress remoteAddress;
    private final SocketAddress localAddress;
    private InputStream in;
    private OutputStream out;

    HijackedConnection(ByteChannel channel, SocketChannel socket, byte[] buffered, SocketAddress remoteAddress,
                       SocketAddress localAddress) {
        this.channel = channel;
        this.socket = socket;
        this.buffered = ByteBuffer.wrap(buffered);
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
    }

    /** The channel, in blocking mode. Read {@link #readBuffered} first if you read it directly. */
    public ByteChannel channel() {
        return channel;
    }

    /**
     * The socket underneath (for options and half-close), or null for an in-memory connection. Over
     * TLS it carries records, not the bytes you read and write: use {@link #channel()} for data, and
     * close that (not the socket) to end the connection cleanly.
     */
    public SocketChannel socketChannel() {
        return socket;
    }

    /** Moves bytes the server had read past the request into {@code dst}; returns how many. */
    public int readBuffered(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), buffered.remaining());
        dst.put(dst.position(), buffered, buffered.position(), n);
        dst.position(dst.position() + n);
        buffered.position(buffered.position() + n);
        return n;
    }

    /** Reads the bytes already buffered, then the channel. */
    public InputStream inputStream() {
        if (in == null) {
            InputStream channelIn = Channels.newInputStream(channel);
            in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (buffered.hasRemaining()) {
                        int n = Math.min(len, buffered.remaining());
                        buffered.get(b, off, n);
                        return n;
                    }
                    return channelIn.read(b, off, len);
                }
            };
        }
        return in;
    }

    public OutputStream outputStream() {
        if (out == null) out = Channels.newOutputStream(channel);
        return out;
    }

    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    public SocketAddress localAddress() {
        return localAddress;
    }
}
