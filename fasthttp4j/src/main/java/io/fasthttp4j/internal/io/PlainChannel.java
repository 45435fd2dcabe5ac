package io.fasthttp4j.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/** Plain TCP (or an in-memory channel in tests): reads and writes go straight to the channel. */
public final class PlainChannel implements ConnChannel {
    private final ByteChannel channel;
    private final SocketChannel socket;

    /** {@code socket}: the same channel when it is a socket; null in memory. */
    public PlainChannel(ByteChannel channel, SocketChannel socket) {
        this.channel = channel;
        this.socket = socket;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (socket != null) socket.shutdownOutput();
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, channel);
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
