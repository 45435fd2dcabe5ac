package io.fasthttp4j.bench.common;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reports the bytes this JVM has allocated so far ({@code getTotalThreadAllocatedBytes}, every
 * thread, virtual threads' carriers included): connect to 127.0.0.1:{@code port} and read one line.
 * The harness reads it before and after a measured run. A daemon platform thread; costs nothing
 * until asked.
 */
public final class AllocProbe {
    private AllocProbe() {
    }

    /** The side port the probe listens on for a contender serving on {@code serverPort}. */
    public static int portFor(int serverPort) {
        return serverPort + 1000;
    }

    public static long totalAllocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getTotalThreadAllocatedBytes();
    }

    /** Starts the probe for a contender serving on {@code serverPort}. */
    public static void start(int serverPort) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), portFor(serverPort)));
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket s = listener.accept(); OutputStream out = s.getOutputStream()) {
                    out.write((totalAllocatedBytes() + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "alloc-probe");
        t.setDaemon(true);
        t.start();
    }

    /** Parses a decimal number from {@code s}, ignoring surrounding whitespace; 0 when there is none. */
    public static long parseLongLenient(CharSequence s) {
        long n = 0;
        boolean negative = false;
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i < s.length() && s.charAt(i) == '-') {
            negative = true;
            i++;
        }
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) n = n * 10 + (s.charAt(i) - '0');
        return negative ? -n : n;
    }
}
