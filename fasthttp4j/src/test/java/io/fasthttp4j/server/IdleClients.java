package io.fasthttp4j.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client side of {@link ManyIdleConnectionsIT}, run in its own JVM so that the server's process
 * has the open-file limit to itself (client and server in one JVM need two descriptors a connection).
 * Opens N keep-alive connections, one request each, and holds them. Speaks one line per event on
 * stdout: "READY ok failed firstError"; reads commands from stdin: "ping" (one more request on every
 * 100th connection; answers "PINGED ok failed"), "close" (closes them all; answers "CLOSED" and exits).
 */
public final class IdleClients {
    private static final byte[] REQUEST = "GET /idle HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        var sockets = new ConcurrentLinkedQueue<Socket>();
        var failed = new AtomicInteger();
        var firstError = new AtomicReference<String>();
        var inFlight = new Semaphore(256);   // stay well inside the server's accept backlog
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    s.setSoTimeout(10_000);
                    exchange(s);
                    sockets.add(s);
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, e.toString().replace('\n', ' '));
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) t.join();
        System.out.println("READY " + sockets.size() + " " + failed.get() + " " + firstError.get());
        System.out.flush();
        var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = commands.readLine()) != null; ) {
            if (line.equals("ping")) {
                int ok = 0;
                int bad = 0;
                int i = 0;
                for (Socket s : sockets) {
                    if (i++ % 100 != 0) continue;
                    try {
                        exchange(s);
                        ok++;
                    } catch (IOException | RuntimeException e) {
                        bad++;
                    }
                }
                System.out.println("PINGED " + ok + " " + bad);
                System.out.flush();
            } else if (line.equals("close")) {
                break;
            }
        }
        for (Socket s : sockets) s.close();
        System.out.println("CLOSED");
        System.out.flush();
    }

    /** Sends one request and reads one 200 response with a Content-Length body. */
    private static void exchange(Socket s) throws IOException {
        s.getOutputStream().write(REQUEST);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed after " + head.length() + " bytes of the response header");
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 200 ")) throw new IOException("not a 200: " + head);
        int at = head.indexOf("Content-Length: ");
        if (at < 0) throw new IOException("no Content-Length: " + head);
        int length = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)).trim());
        if (in.readNBytes(length).length != length) throw new IOException("body cut short");
    }
}
