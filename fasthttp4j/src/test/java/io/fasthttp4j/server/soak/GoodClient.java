package io.fasthttp4j.server.soak;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A well-behaved keep-alive client of the fault soak: GET / and POST or PUT /echo with random bodies
 * of 0 to 300 KB, sent with Content-Length or chunked, each answer checked byte for byte. It reads
 * responses with its own small reader rather than the project's parser, so that the check does not
 * share the code it checks. Runs on one thread; every exchange is cut off after {@link #TIMEOUT_MILLIS}.
 */
final class GoodClient implements Runnable {
    static final int TIMEOUT_MILLIS = 15_000;
    static final int MAX_BODY_BYTES = 300_000;
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final int port;
    private final Random random;
    private final FaultSoak.Tally tally;
    private final ScheduledExecutorService watchdog;
    private final BooleanSupplier stopping;
    private Socket socket;
    private InputStream in;
    private volatile boolean timedOut;   // set by the watchdog, read after the exchange fails

    GoodClient(int port, long seed, FaultSoak.Tally tally, ScheduledExecutorService watchdog, BooleanSupplier stopping) {
        this.port = port;
        this.random = new Random(seed);
        this.tally = tally;
        this.watchdog = watchdog;
        this.stopping = stopping;
    }

    /** One request: what to send and what must come back. */
    record Exchange(String method, String path, byte[] body, boolean chunked, byte[] expected) {
        String describe() {
            return method + " " + path + (path.equals("/echo") ? " " + body.length + " B" + (chunked ? " chunked" : "") : "");
        }
    }

    @Override
    public void run() {
        try {
            while (!stopping.getAsBoolean()) exchangeAndCount(nextExchange());
        } finally {
            disconnect();
        }
    }

    /**
     * A GET / then echoes of both framings on one connection: warms the server's lazily built state.
     * It waits before its first request so that a virtual-thread worker parks in its first read: that
     * starts the JDK's socket pollers, four epoll descriptors the server keeps for good and which would
     * otherwise count as descriptors leaked by the load.
     */
    void warmUp() throws IOException {
        try {
            connectIfNeeded();
            pause(300);
            byte[] body = new byte[1024];
            random.nextBytes(body);
            for (Exchange e : new Exchange[] {
                    new Exchange("GET", "/", new byte[0], false, HELLO),
                    new Exchange("POST", "/echo", body, false, body),
                    new Exchange("PUT", "/echo", body, true, body)}) {
                Outcome o = exchange(e);
                if (o != Outcome.GOOD) throw new IOException("warm-up " + e.describe() + ": " + o);
            }
        } finally {
            disconnect();
        }
    }

    /** A random request: a third GET /, the rest echoes (half chunked) of small, medium or large bodies. */
    Exchange nextExchange() {
        int pick = random.nextInt(3);
        if (pick == 0) return new Exchange("GET", "/", new byte[0], false, HELLO);
        byte[] body = new byte[switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1024);
            case 2 -> random.nextInt(64 * 1024);
            default -> random.nextInt(MAX_BODY_BYTES + 1);
        }];
        random.nextBytes(body);
        return new Exchange(pick == 1 ? "POST" : "PUT", "/echo", body, random.nextBoolean(), body);
    }

    private enum Outcome { GOOD, SHED }

    private void exchangeAndCount(Exchange e) {
        long start = System.nanoTime();
        try {
            Outcome o = exchange(e);
            if (o == Outcome.GOOD) tally.good(System.nanoTime() - start);
            else tally.shed();
        } catch (WrongAnswer w) {
            tally.wrong(e.describe() + ": " + w.getMessage());
            disconnect();   // the stream may be out of step now
        } catch (IOException x) {
            tally.failed(e.describe() + ": " + (timedOut ? "no complete answer within " + TIMEOUT_MILLIS + " ms" : x.toString()));
            disconnect();
        }
    }

    /** Sends {@code e} and checks its answer; a 503 with Retry-After is load shedding, not a wrong answer. */
    private Outcome exchange(Exchange e) throws IOException {
        connectIfNeeded();
        timedOut = false;
        Socket s = socket;
        ScheduledFuture<?> cutOff = watchdog.schedule(() -> {
            timedOut = true;
            closeQuietly(s);
        }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            s.getOutputStream().write(request(e));
            Answer a = readAnswer();
            if (a.closes) disconnect();
            if (a.status == 503 && a.retryAfter) {
                pause(100);   // a shed request says "later"; a short pause keeps the load going without hammering
                return Outcome.SHED;
            }
            if (a.status != 200) throw new WrongAnswer("status " + a.status);
            if (!Arrays.equals(a.body, e.expected)) throw new WrongAnswer(firstDifference(a.body, e.expected));
            return Outcome.GOOD;
        } finally {
            cutOff.cancel(false);
        }
    }

    private byte[] request(Exchange e) throws IOException {
        var out = new ByteArrayOutputStream(e.body.length + 256);
        out.write((e.method + " " + e.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
        if (e.method.equals("GET")) {
            out.write(CRLF);
        } else if (!e.chunked) {
            out.write(("Content-Length: " + e.body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(e.body);
        } else {
            out.write("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            writeChunks(out, e.body);
        }
        return out.toByteArray();
    }

    private void writeChunks(ByteArrayOutputStream out, byte[] body) throws IOException {
        for (int at = 0; at < body.length; ) {
            int n = Math.min(body.length - at, 1 + random.nextInt(64 * 1024));
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.write(CRLF);
            at += n;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A response as far as the soak cares. */
    private record Answer(int status, byte[] body, boolean closes, boolean retryAfter) {}

    private Answer readAnswer() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) throw new WrongAnswer("status line '" + statusLine + "'");
        int status = parseInt(statusLine.substring(9, 12), "status");
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        boolean retryAfter = false;
        int headerBytes = statusLine.length();
        for (String line; !(line = readLine()).isEmpty(); ) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) throw new WrongAnswer("header section over " + MAX_HEADER_BYTES + " bytes");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new WrongAnswer("header line '" + line + "'");
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = parseInt(value, "Content-Length");
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                case "retry-after" -> retryAfter = true;
                default -> { }
            }
        }
        byte[] body;
        if (chunked) body = readChunked();
        else if (length >= 0) body = readExactly((int) length);
        else if (closes) body = in.readAllBytes();
        else throw new WrongAnswer("neither Content-Length nor chunked on a keep-alive response");
        return new Answer(status, body, closes, retryAfter);
    }

    private byte[] readChunked() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
            } catch (NumberFormatException e) {
                throw new WrongAnswer("chunk size line '" + sizeLine + "'");
            }
            if (size == 0) break;
            body.write(readExactly(size));
            if (!readLine().isEmpty()) throw new WrongAnswer("no CRLF after a chunk");
        }
        while (!readLine().isEmpty()) {
            // trailer fields: none expected, none checked
        }
        return body.toByteArray();
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new IOException("connection closed after " + b.length + " of " + n + " body bytes");
        return b;
    }

    /** One CRLF-terminated line, without the CRLF; a bare LF is a wrong answer. */
    private String readLine() throws IOException {
        var sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed in a response line after '" + sb + "'");
            if (c == '\n') throw new WrongAnswer("bare LF after '" + sb + "'");
            if (c == '\r') {
                if (in.read() != '\n') throw new WrongAnswer("CR without LF after '" + sb + "'");
                return sb.toString();
            }
            if (sb.length() > MAX_HEADER_BYTES) throw new WrongAnswer("line over " + MAX_HEADER_BYTES + " bytes");
            sb.append((char) c);
        }
    }

    private static int parseInt(String s, String what) throws WrongAnswer {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new WrongAnswer(what + " '" + s + "'");
        }
    }

    private static String firstDifference(byte[] got, byte[] expected) {
        int i = Arrays.mismatch(got, expected);
        return "body differs at byte " + i + " (got " + got.length + " bytes, expected " + expected.length + ")";
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null && !socket.isClosed()) return;   // closed: a cut-off that fired as its exchange ended
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    }

    private void disconnect() {
        closeQuietly(socket);
        socket = null;
        in = null;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /** A response that arrived but is not the one the request asked for. */
    private static final class WrongAnswer extends IOException {
        WrongAnswer(String message) {
            super(message);
        }
    }
}
