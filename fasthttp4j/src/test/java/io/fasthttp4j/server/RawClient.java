package io.fasthttp4j.server;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ResponseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that writes raw bytes and reads responses with our own response parser: for malformed
 * input, pipelining, trickling and timing tests. Every read gives up after {@code timeout} (5 s by
 * default) so that a server that hangs fails the test instead of hanging it.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ResponseParser parser = new ResponseParser(HttpLimits.builder().maxBodyBytes(256L << 20).build());
    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private boolean eof;
    private long received;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
    }

    public static RawClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new RawClient(s);
    }

    /** How long a read waits before failing with {@link SocketTimeoutException}. */
    public RawClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    public Socket socket() {
        return socket;
    }

    /** Sends {@code text} as ISO-8859-1 bytes. */
    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Sends {@code text} one byte per write, pausing {@code pauseMillis} between bytes (with TCP_NODELAY
     * set, each byte usually reaches the server in its own segment).
     */
    public RawClient sendByteByByte(String text, long pauseMillis) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (byte b : bytes) {
            out.write(b);
            out.flush();
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while trickling");
                }
            }
        }
        return this;
    }

    /** Bytes read from the socket so far, parsed or not: tells "no response at all" from "part of one". */
    public long bytesReceived() {
        return received;
    }

    /** Like {@link #awaitPeerClose()}, waiting at most {@code millis} instead of the read timeout. */
    public boolean awaitPeerClose(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return awaitPeerClose();
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(before);
        }
    }

    /** Reads one response; for a HEAD request pass {@code head=true}. Fails if the peer closes first. */
    public Response readResponse(boolean head) throws IOException {
        Response response = new Response();
        parser.reset();
        parser.setHeadResponse(head);
        while (true) {
            if (pos < end) {
                pos = parser.parse(buf, pos, end, response);
                if (parser.isComplete()) break;
            }
            if (!fill()) {
                parser.parseEof(response);
                break;
            }
        }
        Response copy = new Response();
        response.copyTo(copy);   // the original views our buffer
        return copy;
    }

    public Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads {@code n} responses (pipelining). */
    public List<Response> readResponses(int n) throws IOException {
        List<Response> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(readResponse());
        return all;
    }

    /** Reads whatever arrives until the peer closes (or the timeout), as ISO-8859-1 text. */
    public String readUntilClose() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1));
        pos = end;
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            received += n;
            sb.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
        }
        eof = true;
        return sb.toString();
    }

    /** True when the peer closes the connection (EOF or reset) within the read timeout, false if it stays open. */
    public boolean awaitPeerClose() throws IOException {
        if (pos < end) return false;   // unread bytes: not a clean close
        try {
            if (eof) return true;
            int b = in.read();
            if (b < 0) return true;
            received++;
            end = pos = 0;   // keep the stray byte readable: a later readResponse sees it
            buf[end++] = (byte) b;
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // connection reset
        }
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        if (end == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        received += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
