package io.fasthttp4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;

/**
 * One end of an in-memory connection (fasthttp's {@code fasthttputil} pipe): a blocking byte channel
 * whose bytes arrive at the other end, with no socket involved. Thread-safe: one thread may read
 * while another writes.
 */
public final class InMemoryConnection implements ByteChannel {
    private final BytePipe in;
    private final BytePipe out;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private volatile boolean open = true;

    InMemoryConnection(BytePipe in, BytePipe out, SocketAddress localAddress, SocketAddress remoteAddress) {
        this.in = in;
        this.out = out;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) throw new ClosedChannelException();
        return in.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) throw new ClosedChannelException();
        return out.write(src);
    }

    /** Ends this side's output: the peer reads the buffered bytes, then end of stream. */
    public void shutdownOutput() {
        out.closeWrite();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        out.closeWrite();
        in.closeRead();
    }

    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
    }

    public SocketAddress localAddress() {
        return localAddress;
    }

    public SocketAddress remoteAddress() {
        return remoteAddress;
    }
}
