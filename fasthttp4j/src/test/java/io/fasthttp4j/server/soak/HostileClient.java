package io.fasthttp4j.server.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hostile client of the fault soak: opens connection after connection, each playing the next of
 * the {@link Behaviour}s in turn, and counts the connections it made. Nothing it receives is checked;
 * the soak judges the server by its good clients and its memory. Every connection is closed after at
 * most {@link #MAX_MILLIS_PER_CONNECTION} by a watchdog, or at once when the soak stops, so no write
 * or read here blocks for longer. Runs on one thread.
 */
final class HostileClient implements Runnable {
    static final long MAX_MILLIS_PER_CONNECTION = 12_000;
    private static final int PIPELINED_REQUESTS = 20;
    private static final int PIPELINED_BODY_BYTES = 64 * 1024;
    private static final int HUGE_FIELD_BYTES = 100 * 1024;
    private static final long HUGE_CONTENT_LENGTH = 64L * 1024 * 1024;

    /** What a hostile connection does. */
    enum Behaviour {
        /** Declares a body, sends part of it (or all, then reads part of the echo), and resets (SO_LINGER 0). */
        RESET_MID_BODY,
        /** Sends half a header section, then nothing, for up to 12 s or until the server closes. */
        STALL_IN_HEADER,
        /** Pipelines 20 echo requests of 64 KiB each, then reads nothing for up to 12 s. */
        PIPELINE_WITHOUT_READING,
        /** Sends up to 16 KiB of random bytes and reads what comes back. */
        RANDOM_BYTES,
        /** Sends a header field of 100 KiB. */
        HUGE_HEADER_FIELD,
        /** Declares Content-Length: 64 MiB and sends the body for as long as the server takes it. */
        HUGE_CONTENT_LENGTH
    }

    private final int port;
    private final int first;
    private final Random random;
    private final FaultSoak.Tally tally;
    private final ScheduledExecutorService watchdog;
    private final CountDownLatch stop;
    private final Set<Socket> open;
    private final byte[] pipelined;
    private final byte[] hugeField;
    private final byte[] block = new byte[64 * 1024];

    /**
     * @param index which behaviour this client starts with, so that clients start on different ones
     * @param open every hostile client's open sockets: the soak closes them when it stops
     */
    HostileClient(int port, int index, long seed, FaultSoak.Tally tally, ScheduledExecutorService watchdog,
            CountDownLatch stop, Set<Socket> open) {
        this.port = port;
        this.first = index;
        this.random = new Random(seed);
        this.tally = tally;
        this.watchdog = watchdog;
        this.stop = stop;
        this.open = open;
        this.pipelined = pipelinedEchoes();
        this.hugeField = ("GET / HTTP/1.1\r\nHost: a\r\nX-Huge: " + "a".repeat(HUGE_FIELD_BYTES) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        random.nextBytes(block);
    }

    @Override
    public void run() {
        Behaviour[] all = Behaviour.values();
        for (int i = first; stop.getCount() > 0; i++) connectAndPlay(all[i % all.length]);
    }

    private void connectAndPlay(Behaviour behaviour) {
        Socket s = new Socket();
        open.add(s);
        ScheduledFuture<?> cutOff = watchdog.schedule(() -> GoodClient.closeQuietly(s), MAX_MILLIS_PER_CONNECTION, TimeUnit.MILLISECONDS);
        try {
            if (stop.getCount() == 0) return;   // the soak's sweep of open sockets may have run before our add
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            } catch (IOException e) {
                tally.hostileConnectFailed();
                pauseAfterRefusal();
                return;
            }
            tally.hostileConnection();
            play(behaviour, s);
        } catch (IOException expected) {
            // resets, broken pipes and closes are what hostile connections end in
        } finally {
            cutOff.cancel(false);
            GoodClient.closeQuietly(s);
            open.remove(s);
        }
    }

    private void play(Behaviour behaviour, Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        switch (behaviour) {
            case RESET_MID_BODY -> resetMidBody(s, out);
            case STALL_IN_HEADER -> {
                out.write("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: soak\r\nX-Stall: ".getBytes(StandardCharsets.US_ASCII));
                drainUntilClose(s, holdMillis());   // the server's read timeout should close it first
            }
            case PIPELINE_WITHOUT_READING -> {
                out.write(pipelined);   // blocks once both sides' buffers are full; the watchdog ends it
                awaitStop(holdMillis());
            }
            case RANDOM_BYTES -> {
                byte[] junk = new byte[1 + random.nextInt(16 * 1024)];
                random.nextBytes(junk);
                out.write(junk);
                drainUntilClose(s, 2000);
            }
            case HUGE_HEADER_FIELD -> {
                out.write(hugeField);
                drainUntilClose(s, 2000);
            }
            case HUGE_CONTENT_LENGTH -> {
                out.write(("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + HUGE_CONTENT_LENGTH + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (long sent = 0; sent < HUGE_CONTENT_LENGTH && stop.getCount() > 0; sent += block.length) out.write(block);
                drainUntilClose(s, 2000);
            }
        }
    }

    private void resetMidBody(Socket s, OutputStream out) throws IOException {
        if (random.nextBoolean()) {
            int declared = 64 * 1024 + random.nextInt(1024 * 1024);
            out.write(("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < declared / 2; sent += block.length) out.write(block, 0, Math.min(block.length, declared / 2 - sent));
            awaitStop(random.nextInt(200));
        } else {   // the whole request, then a reset while the echo is being written back
            out.write(("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + 4 * block.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 4; i++) out.write(block);
            s.setSoTimeout(5000);
            s.getInputStream().readNBytes(1 + random.nextInt(4096));
        }
        s.setSoLinger(true, 0);   // close() now sends RST instead of FIN
        s.close();
    }

    /** 20 POST /echo requests of 64 KiB each, in one array. */
    private byte[] pipelinedEchoes() {
        var out = new ByteArrayOutputStream(PIPELINED_REQUESTS * (PIPELINED_BODY_BYTES + 100));
        byte[] body = new byte[PIPELINED_BODY_BYTES];
        byte[] head = ("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + PIPELINED_BODY_BYTES + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < PIPELINED_REQUESTS; i++) {
            random.nextBytes(body);
            out.writeBytes(head);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** 1 to 12 s: short holds close while the server still has answers queued, long ones outlast its write timeout. */
    private long holdMillis() {
        return 1000 + random.nextLong(MAX_MILLIS_PER_CONNECTION - 1000);
    }

    /** Reads and drops what arrives until the server closes, {@code millis} pass, or the soak stops. */
    private void drainUntilClose(Socket s, long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        InputStream in = s.getInputStream();
        byte[] sink = new byte[8192];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return;
            s.setSoTimeout((int) left);
            try {
                if (in.read(sink) < 0) return;
            } catch (SocketTimeoutException e) {
                return;
            }
        }
    }

    private void awaitStop(long millis) {
        try {
            stop.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pauseAfterRefusal() {
        awaitStop(100);   // a server that refuses connections should not turn this client into a busy loop
    }
}
