package io.fasthttp4j.bench.floor;

import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.HttpDate;
import io.fasthttp4j.bench.common.JsonItems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The floor: one thread, one selector, no parsing beyond finding where a request ends (CRLFCRLF, then
 * a Content-Length or chunked body skipped) and which of the few answers it wants. Responses are
 * canned bytes with a Date that a ticker thread encodes once a second (no clock read per response);
 * /json bodies are serialised per request (as the contract asks of every contender) into a reused
 * buffer. No real server can be cheaper, so every figure is also shown as a ratio to this one.
 * Not an HTTP server: it trusts its input.
 */
public final class Main {
    private Main() {
    }

    static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};
    static final byte[] STATUS_200 = ascii("HTTP/1.1 200 OK\r\nServer: bench\r\nDate: ");
    static final byte[] STATUS_404 = ascii("HTTP/1.1 404 Not Found\r\nServer: bench\r\nDate: ");
    static final byte[] TEXT = ascii("\r\nContent-Type: text/plain\r\nContent-Length: ");
    static final byte[] JSON = ascii("\r\nContent-Type: application/json\r\nContent-Length: ");
    static final byte[] CLOSE = ascii("\r\nConnection: close");
    static final byte[] OK = ascii("ok");

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The /json body, serialised for each request as every contender does (the contract: no cached
     * responses), into one reused buffer: the loop thread's only. The floor then costs what a bare
     * selector loop plus the application's own work costs, which makes it the reference for /json too.
     */
    static final class JsonBuffer extends OutputStream {
        byte[] bytes = new byte[16 * 1024];
        int length;

        @Override
        public void write(int b) {
            if (length == bytes.length) bytes = Arrays.copyOf(bytes, bytes.length * 2);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (length + len > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }
    }

    private static final JsonBuffer JSON_BODY = new JsonBuffer();

    static JsonBuffer json(int count, int m) {
        JSON_BODY.length = 0;
        try {
            JsonItems.write(count, m, JSON_BODY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JSON_BODY;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        AllocProbe.start(port);
        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("floor on 127.0.0.1:" + port);
        // select(Consumer): no iterator over the selected-key set per round (selectedKeys() allocates one)
        java.util.function.Consumer<SelectionKey> onSelected = key -> {
            if (key.isAcceptable()) accept(listener, selector);
            else ((Conn) key.attachment()).ready(key);
        };
        while (true) selector.select(onSelected);
    }

    private static void accept(ServerSocketChannel listener, Selector selector) {
        try {
            for (SocketChannel ch; (ch = listener.accept()) != null; ) {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                key.attach(new Conn(ch));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One connection: a read buffer scanned in place, and a write buffer flushed once per read. */
    static final class Conn {
        private final SocketChannel ch;
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private ByteBuffer out = ByteBuffer.allocate(4 * 1024);
        private final Request req = new Request();
        private boolean closeAfterFlush;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        void ready(SelectionKey key) {
            try {
                if (key.isWritable() && !flush(key)) return;
                if (key.isReadable()) read(key);
            } catch (IOException | RuntimeException e) {
                close(key);
            }
        }

        private void read(SelectionKey key) throws IOException {
            int n = ch.read(in);
            if (n < 0) {
                close(key);
                return;
            }
            byte[] buf = in.array();
            int end = in.position();
            int pos = 0;
            while (pos < end && !closeAfterFlush) {
                int used = req.consume(buf, pos, end);
                if (used == 0) break;   // needs more bytes
                pos += used;
                if (req.complete) {
                    respond();
                    req.reset();
                }
            }
            if (pos == end) in.clear();
            else {
                in.position(pos).limit(end);
                in.compact();
                if (!in.hasRemaining()) throw new IOException("header section larger than the read buffer");
            }
            flush(key);
        }

        private void respond() {
            int route = req.route;
            byte[] body = null;
            int bodyLength = 0;
            if (route == Request.JSON) {
                JsonBuffer json = json(req.jsonCount(), req.jsonM());
                body = json.bytes;
                bodyLength = json.length;
            } else if (route == Request.PIPELINE) {
                body = OK;
                bodyLength = OK.length;
            }
            long number = req.answer();
            int length = route == Request.NOT_FOUND ? 0 : body != null ? bodyLength : digits(number);
            ensure(200 + length);
            out.put(route == Request.NOT_FOUND ? STATUS_404 : STATUS_200);
            out.put(HttpDate.currentBytes());
            out.put(route == Request.JSON ? JSON : TEXT);
            putDecimal(length);
            if (req.close) {
                out.put(CLOSE);
                closeAfterFlush = true;
            }
            out.put(CRLFCRLF);
            if (body != null) out.put(body, 0, bodyLength);
            else if (route != Request.NOT_FOUND) putNumber(number);
        }

        private static int digits(long v) {
            int n = v < 0 ? 2 : 1;
            for (long a = Math.abs(v); a >= 10; a /= 10) n++;
            return n;
        }

        private void putNumber(long v) {
            if (v < 0) {
                out.put((byte) '-');
                v = -v;
            }
            putDecimal(v);
        }

        private void putDecimal(long v) {
            if (v >= 10) putDecimal(v / 10);
            out.put((byte) ('0' + v % 10));
        }

        private void ensure(int extra) {
            if (out.remaining() >= extra) return;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + extra));
            out.flip();
            bigger.put(out);
            out = bigger;
        }

        /** Writes what is buffered; true when all of it went. Waits for OP_WRITE otherwise. */
        private boolean flush(SelectionKey key) throws IOException {
            out.flip();
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    out.compact();
                    key.interestOps(SelectionKey.OP_WRITE);
                    return false;
                }
            }
            out.clear();
            if (closeAfterFlush) {
                close(key);
                return false;
            }
            if (key.interestOps() != SelectionKey.OP_READ) key.interestOps(SelectionKey.OP_READ);
            return true;
        }

        private void close(SelectionKey key) {
            key.cancel();
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
