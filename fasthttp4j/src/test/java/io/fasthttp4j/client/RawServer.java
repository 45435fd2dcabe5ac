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
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A server we script byte by byte, on 127.0.0.1 and a free port: for responses our own server would
 * never send (malformed, close-delimited, interim, never-ending). Each accepted connection runs
 * {@link Script#serve} on a virtual thread; {@link #close()} closes the listener and every socket.
 */
final class RawServer implements AutoCloseable {
    /** Serves one accepted connection; {@code index} counts connections from 0. */
    @FunctionalInterface
    interface Script {
        void serve(Conn conn, int index) throws IOException, InterruptedException;
    }

    /** One accepted connection: read requests, write raw bytes. */
    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads one request (header, and a Content-Length body); null on EOF before any byte. */
        String readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
            }
            if (head.size() == 0) return null;
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = contentLength(text);
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            return 0;
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private final ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    private RawServer(InetAddress address, int port, Script script) throws IOException {
        this(new ServerSocket(port, 50, address), script);
    }

    private RawServer(ServerSocket listener, Script script) {
        this.listener = listener;
        Thread.ofVirtual().start(() -> acceptLoop(script));
    }

    static RawServer start(Script script) throws IOException {
        return new RawServer(InetAddress.getLoopbackAddress(), 0, script);
    }

    /** Like {@link #start}, speaking TLS with {@code context}'s key: the JDK's SSLServerSocket, handshaking on the first read. */
    static RawServer startTls(SSLContext context, Script script) throws IOException {
        return new RawServer(context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /** A server that answers every request on every connection with {@code response}, keeping the connection. */
    static RawServer answering(String response) throws IOException {
        return answering(InetAddress.getLoopbackAddress(), 0, response);
    }

    /** Like {@link #answering(String)}, listening on {@code address} and {@code port} (0: a free one). */
    static RawServer answering(InetAddress address, int port, String response) throws IOException {
        RawServer[] self = new RawServer[1];
        self[0] = new RawServer(address, port, (conn, i) -> {
            for (String request; (request = conn.readRequest()) != null; ) {
                self[0].requests.add(request);
                conn.write(response);
            }
        });
        return self[0];
    }

    private void acceptLoop(Script script) {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                int index = accepted.getAndIncrement();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        script.serve(new Conn(s), index);
                    } catch (IOException | InterruptedException ignored) {
                        // the client went away, or the test is over
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    String addr() {
        return listener.getInetAddress().getHostAddress() + ":" + port();
    }

    String url(String path) {
        return "http://" + addr() + path;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) s.close();
    }
}
