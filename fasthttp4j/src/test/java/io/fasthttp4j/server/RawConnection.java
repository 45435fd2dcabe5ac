package io.fasthttp4j.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw socket read piece by piece: one header section, one chunk, an exact number of bytes. For
 * streaming, hijack and framing tests, where {@link RawClient}'s whole-response reads would hide when
 * bytes arrive and exactly which bytes were sent. Every read gives up after the timeout (5 s by
 * default), so a server that hangs fails the test instead of hanging it.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
    }

    static RawConnection connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new RawConnection(s);
    }

    /** Wraps a socket already connected, e.g. an {@code SSLSocket} to a TLS server. */
    static RawConnection over(Socket connected) throws IOException {
        return new RawConnection(connected);
    }

    RawConnection timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    Socket socket() {
        return socket;
    }

    /** Sends {@code text} as ISO-8859-1 bytes. */
    RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Half-closes: the server reads end of stream, and may still answer. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads a header section up to and including its empty line, as ISO-8859-1 text. */
    Head readHead() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!endsWith(sb, "\r\n\r\n")) sb.append((char) readByte());
        return new Head(sb.toString());
    }

    /** Reads one chunk of a chunked body: its data, or null for the last chunk (its trailer section is left unread). */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
        if (size == 0) return null;
        byte[] data = readExactly(size);
        String crlf = new String(readExactly(2), StandardCharsets.ISO_8859_1);
        if (!crlf.equals("\r\n")) throw new IOException("chunk data not followed by CRLF: " + crlf);
        return data;
    }

    /** Reads the trailer section after the last chunk: field lines up to the empty line, without the final CRLF. */
    String readTrailerSection() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line; !(line = readLine()).isEmpty(); ) sb.append(line).append("\r\n");
        return sb.toString();
    }

    /** Reads every chunk up to the last one, and its trailer section; returns the data. */
    byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk; (chunk = readChunk()) != null; ) body.writeBytes(chunk);
        readTrailerSection();
        return body.toByteArray();
    }

    /** Reads a line ending in CRLF; returns it without the CRLF. */
    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!endsWith(sb, "\r\n")) sb.append((char) readByte());
        return sb.substring(0, sb.length() - 2);
    }

    byte[] readExactly(int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length < n) throw new EOFException("peer closed after " + data.length + " of " + n + " bytes");
        return data;
    }

    /** Reads until the peer closes (EOF or reset); fails with {@link SocketTimeoutException} if it does not. */
    byte[] readUntilClose() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) all.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            // connection reset: what arrived before it is the answer
        }
        return all.toByteArray();
    }

    /** True when the peer closes (EOF or reset) with nothing more to read, within the timeout. */
    boolean awaitPeerClose() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("peer closed the connection");
        return b;
    }

    private static boolean endsWith(StringBuilder sb, String suffix) {
        int n = sb.length();
        return n >= suffix.length() && sb.substring(n - suffix.length()).equals(suffix);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A header section as received: the status line and field lines, searchable by name. */
    record Head(String text) {
        int status() {
            return Integer.parseInt(text.substring(9, 12));
        }

        String statusLine() {
            return text.substring(0, text.indexOf("\r\n"));
        }

        /** The value of the first field named {@code name} (any case), or null. */
        String field(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) return line.substring(prefix.length()).strip();
            }
            return null;
        }

        /** How many field lines are named {@code name} (any case). */
        long count(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return text.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix)).count();
        }
    }
}
