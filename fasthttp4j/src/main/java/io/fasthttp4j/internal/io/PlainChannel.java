package io.fasthttp4j.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Plain TCP (or an in-memory channel in tests): reads and writes go straight to the channel, after
 * any bytes read before this stage existed (a PROXY protocol header's reader over-reads).
 */
public final class PlainChannel implements ConnChannel {
    private final ByteChannel channel;
    private final SocketChannel socket;
    private ByteBuffer unread;    // bytes to return before the channel's; null when none

    /** {@code socket}: the same channel when it is a socket; null in memory. */
    public PlainChannel(ByteChannel channel, SocketChannel socket) {
        this(channel, socket, null);
    }

    /** As {@link #PlainChannel(ByteChannel, SocketChannel)}, returning {@code unread}'s bytes (kept, not copied) first. */
    public PlainChannel(ByteChannel channel, SocketChannel socket, ByteBuffer unread) {
        this.channel = channel;
        this.socket = socket;
        this.unread = unread != null && unread.hasRemaining() ? unread : null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (unread != null) return readUnread(dst);
        return channel.read(dst);
    }

    private int readUnread(ByteBuffer dst) {
        int n = ConnChannel.transfer(unread, dst);
        if (!unread.hasRemaining()) unread = null;
        return n;
    }

    @Override
    public boolean hasBufferedInput() {
        return unread != null;
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
