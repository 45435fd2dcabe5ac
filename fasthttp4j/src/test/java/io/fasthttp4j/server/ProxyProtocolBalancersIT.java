package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.TestCertificates;
import io.fasthttp4j.tls.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real load balancers in front of the server, sending the PROXY protocol: HAProxy in TCP mode
 * (versions 1 and 2, and passing TLS through) and nginx's stream module. The handler must see the
 * client's own socket address, port included. Skipped where the balancer is not installed.
 */
@Timeout(30)
class ProxyProtocolBalancersIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    private static final RequestHandler REMOTE_ADDRESS = ctx -> ctx.setBody(String.valueOf(ctx.remoteAddress()));

    @TempDir
    Path dir;
    private final List<Process> balancers = new ArrayList<>();

    @AfterEach
    void stopBalancers() throws InterruptedException {
        for (Process p : balancers) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static TestServer proxiedServer(TlsConfig tls) {
        return TestServer.start(REMOTE_ADDRESS, b -> b.tls(tls)
                .proxyProtocol(ProxyProtocolConfig.builder(ProxyProtocolConfig.Mode.REQUIRED).trust("127.0.0.1/32").build()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts HAProxy in the foreground with a TCP frontend on a free port; returns the port. */
    private int startHaproxy(int serverPort, String sendProxy) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HAPROXY), "HAProxy is not installed at " + HAPROXY);
        int port = freePort();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                    maxconn 64
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 20s
                    timeout server 20s
                frontend in
                    bind 127.0.0.1:%d
                    default_backend fasthttp4j
                backend fasthttp4j
                    server s1 127.0.0.1:%d %s
                """.formatted(port, serverPort, sendProxy));
        return start(List.of(HAPROXY.toString(), "-db", "-f", cfg.toString()), port);
    }

    /** Starts nginx in the foreground, one process, with a stream server on a free port; returns the port. */
    private int startNginx(int serverPort) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NGINX), "nginx is not installed at " + NGINX);
        Process v = new ProcessBuilder(NGINX.toString(), "-V").redirectErrorStream(true).start();
        String build = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        v.waitFor(5, TimeUnit.SECONDS);
        String loadModule = "";
        if (build.contains("--with-stream=dynamic")) {
            Path module = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");   // Debian's libnginx-mod-stream
            Assumptions.assumeTrue(Files.exists(module), "nginx's stream module is not installed at " + module);
            loadModule = "load_module " + module + ";";
        } else {
            Assumptions.assumeTrue(build.contains("--with-stream "), "nginx was built without the stream module");
        }
        int port = freePort();
        Path cfg = Files.writeString(dir.resolve("nginx.conf"), """
                %s
                daemon off;
                master_process off;
                error_log %s/error.log info;
                pid %s/nginx.pid;
                events { worker_connections 64; }
                stream {
                    server {
                        listen 127.0.0.1:%d;
                        proxy_pass 127.0.0.1:%d;
                        proxy_protocol on;
                    }
                }
                """.formatted(loadModule, dir, dir, port, serverPort));
        return start(List.of(NGINX.toString(), "-p", dir.toString(), "-e", dir + "/error.log", "-c", cfg.toString()), port);
    }

    /** Runs a balancer as a child process and waits until its frontend port accepts connections. */
    private int start(List<String> command, int port) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("balancer.log").toFile()).start();
        balancers.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new AssertionError(command.get(0) + " did not start listening on " + port + ": "
                            + Files.readString(dir.resolve("balancer.log")), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    private static String exchange(Socket socket) throws IOException {
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write(GET_CLOSE.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Sends a request through the balancer and checks that the server saw this client's address and port. */
    private static void assertSeesTheClient(int balancerPort) throws IOException {
        try (Socket client = new Socket("127.0.0.1", balancerPort)) {
            String r = exchange(client);
            assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
            InetSocketAddress own = (InetSocketAddress) client.getLocalSocketAddress();
            assertEquals(own.toString(), r.substring(r.indexOf("\r\n\r\n") + 4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"send-proxy-v2", "send-proxy"})
    void haproxyPassesTheClientAddressWith(String sendProxy) throws Exception {
        try (TestServer server = proxiedServer(null)) {
            int port = startHaproxy(server.port(), sendProxy);
            assertSeesTheClient(port);
            assertSeesTheClient(port);   // a second connection: its own port, not the first one's
        }
    }

    @Test
    void haproxyPassesTlsThroughAfterAVersion2Header() throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir);
        TestCertificates.Issued localhost = ca.issueLocalhost(TestCertificates.KeyType.EC);
        TlsConfig tls = TlsConfig.builder().certificate(localhost.chain(), localhost.key()).build();
        try (TestServer server = proxiedServer(tls)) {
            int port = startHaproxy(server.port(), "send-proxy-v2");
            try (SSLSocket client = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
                String r = exchange(client);
                assertTrue(r.startsWith("HTTP/1.1 200 OK"), r);
                assertEquals(client.getLocalSocketAddress().toString(), r.substring(r.indexOf("\r\n\r\n") + 4));
            }
        }
    }

    @Test
    void nginxStreamPassesTheClientAddress() throws Exception {
        try (TestServer server = proxiedServer(null)) {
            int port = startNginx(server.port());
            assertSeesTheClient(port);
            assertSeesTheClient(port);
        }
    }
}
