package io.fasthttp4j.internal.tls;

import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An echo server over {@link TlsServerChannel} on 127.0.0.1 and a free port. {@link Mode#BLOCKING}: a
 * virtual thread per connection, as the virtual-thread transport runs. {@link Mode#NON_BLOCKING}: one
 * selector thread for all, following the contract the event loop transport must follow (see
 * {@link #serve}). A client's end (close_notify or EOF) is answered with close_notify, then the
 * connection is closed. Echoes through a 4 KiB buffer, smaller than a record, like the server's read
 * buffer.
 */
final class TlsEchoServer implements AutoCloseable {
    enum Mode { BLOCKING, NON_BLOCKING }

    private static final int BUFFER_BYTES = 4096;

    private final TlsConfig config;
    private final ServerSocketChannel listener;
    private final Selector selector;   // null in blocking mode
    private final Thread thread;
    private volatile boolean closed;
    /** Each connection's channel, once its first plaintext arrived (the handshake is done). */
    final BlockingQueue<TlsServerChannel> established = new LinkedBlockingQueue<>();
    /** What the channels threw; their sockets are closed. */
    final BlockingQueue<IOException> failures = new LinkedBlockingQueue<>();
    /** Connections whose read returned -1. */
    final AtomicInteger ends = new AtomicInteger();
    private final Set<TlsServerChannel> blockingChannels = ConcurrentHashMap.newKeySet();   // closed by close()

    private TlsEchoServer(TlsConfig config, Mode mode) throws IOException {
        this.config = config;
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (mode == Mode.BLOCKING) {
            selector = null;
            thread = Thread.ofPlatform().name("tls-echo-accept").daemon().start(this::acceptBlocking);
        } else {
            selector = Selector.open();
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            thread = Thread.ofPlatform().name("tls-echo-loop").daemon().start(this::selectLoop);
        }
    }

    static TlsEchoServer start(TlsConfig config, Mode mode) throws IOException {
        return new TlsEchoServer(config, mode);
    }

    int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    private TlsServerChannel newChannel(SocketChannel socket) throws IOException {
        return new TlsServerChannel(socket, config.newEngine(socket.getRemoteAddress()));
    }

    private void acceptBlocking() {
        while (!closed) {
            try {
                TlsServerChannel channel = newChannel(listener.accept());
                blockingChannels.add(channel);
                Thread.ofVirtual().start(() -> echoBlocking(channel));
            } catch (IOException e) {
                if (!closed) failures.add(e);
            }
        }
    }

    private void echoBlocking(TlsServerChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        boolean first = true;
        try (channel) {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    ends.incrementAndGet();
                    channel.shutdownOutput();
                    return;
                }
                if (first) established.add(channel);
                first = false;
                buffer.flip();
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.releaseIdleBuffers();
            }
        } catch (IOException e) {
            failures.add(e);
        }
    }

    /** One connection of the loop: its channel, the plaintext read and not yet echoed (read mode). */
    private static final class Conn {
        final TlsServerChannel channel;
        final ByteBuffer data = ByteBuffer.allocate(BUFFER_BYTES).flip();
        boolean established;
        boolean ending;   // shutdownOutput() was called: close once flushed

        Conn(TlsServerChannel channel) {
            this.channel = channel;
        }
    }

    private void selectLoop() {
        try {
            while (!closed) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        serve((Conn) key.attachment(), key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) failures.add(e instanceof IOException io ? io : new IOException(e));
        }
    }

    private void accept() throws IOException {
        SocketChannel socket = listener.accept();
        if (socket == null) return;
        socket.configureBlocking(false);
        socket.register(selector, SelectionKey.OP_READ, new Conn(newChannel(socket)));
    }

    /**
     * The event loop's contract, run whenever the key is ready (readable or writable):
     * <ol>
     * <li>{@code flushPending()} first; false: wait for OP_WRITE only (the handshake or a write is stuck
     *     on the socket, and reading on would only buffer more).
     * <li>write what is to be sent; if the channel did not take it all, or {@code flushPending()} is
     *     false afterwards, wait for OP_WRITE.
     * <li>read: bytes, handle them and loop; -1, the end; 0: {@code flushPending()} again (the read may
     *     have produced handshake output), false: OP_WRITE; then {@code hasBufferedInput()}: true, read
     *     again now, since the selector will not wake for bytes already inside the channel; false: OP_READ.
     * </ol>
     */
    private void serve(Conn conn, SelectionKey key) {
        TlsServerChannel channel = conn.channel;
        try {
            if (!channel.flushPending()) {
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
            if (conn.ending) {
                key.cancel();
                channel.close();
                return;
            }
            while (true) {
                if (conn.data.hasRemaining()) {
                    channel.write(conn.data);
                    if (conn.data.hasRemaining() || !channel.flushPending()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                        return;
                    }
                }
                conn.data.clear();
                int n = channel.read(conn.data);
                conn.data.flip();
                if (n > 0) {
                    if (!conn.established) established.add(channel);
                    conn.established = true;
                    continue;
                }
                if (n < 0) {
                    ends.incrementAndGet();
                    conn.ending = true;
                    channel.shutdownOutput();
                    key.interestOps(SelectionKey.OP_WRITE);   // closes once close_notify is out
                    return;
                }
                if (!channel.flushPending()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (channel.hasBufferedInput()) continue;
                channel.releaseIdleBuffers();
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
        } catch (IOException e) {
            failures.add(e);
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (TlsServerChannel channel : blockingChannels) channel.close();
        if (selector != null) {
            selector.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SelectionKey key : selector.keys()) key.channel().close();
            selector.close();
        }
    }
}
