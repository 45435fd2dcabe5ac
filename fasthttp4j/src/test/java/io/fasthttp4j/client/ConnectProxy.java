package io.fasthttp4j.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny HTTP proxy on 127.0.0.1 that understands CONNECT only: it logs each request head, answers
 * {@code 200 Connection established} and relays bytes both ways, or answers with a fixed refusal, or
 * (silent) never answers at all.
 */
final class ConnectProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final String refusal;   // null: tunnel; "": never answer
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Every request head received, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Bytes relayed from clients to servers so far, and each tunnel's count when its client ended it. */
    final AtomicLong clientBytes = new AtomicLong();
    final List<Long> clientBytesAtEnd = new CopyOnWriteArrayList<>();

    private ConnectProxy(String refusal) throws IOException {
        this.refusal = refusal;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    static ConnectProxy tunnelling() throws IOException {
        return new ConnectProxy(null);
    }

    static ConnectProxy refusing(String response) throws IOException {
        return new ConnectProxy(response);
    }

    static ConnectProxy silent() throws IOException {
        return new ConnectProxy("");
    }

    String addr() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = listener.accept();
                sockets.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket client) {
        try {
            String head = readHead(client.getInputStream());
            requests.add(head);
            if (refusal != null) {
                if (!refusal.isEmpty()) {
                    client.getOutputStream().write(refusal.getBytes(StandardCharsets.ISO_8859_1));
                    client.close();
                }
                return;
            }
            String target = head.substring("CONNECT ".length(), head.indexOf(" HTTP/1.1\r\n"));
            int colon = target.lastIndexOf(':');
            Socket server = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
            sockets.add(server);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Thread.ofVirtual().start(() -> relay(server, client, null));
            long relayed = relay(client, server, clientBytes);
            clientBytesAtEnd.add(relayed);
        } catch (IOException | RuntimeException e) {
            close(client);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) return s;
        }
        throw new IOException("EOF in the request head");
    }

    /** Copies until either side ends; returns the bytes copied. {@code counter}, if any, is counted up before each write. */
    private static long relay(Socket from, Socket to, AtomicLong counter) {
        long relayed = 0;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                relayed += n;
                if (counter != null) counter.addAndGet(n);
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            close(from);
            close(to);
        }
        return relayed;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) close(s);
    }
}
