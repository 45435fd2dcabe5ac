package io.fasthttp4j.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's {@code HttpsServer} on 127.0.0.1 and a free port, with a self-signed certificate from
 * {@code src/test/resources/io/fasthttp4j/client} (password "changeit"): {@link #LOCALHOST} (SAN dns:localhost, ip:127.0.0.1) or
 * {@link #EXAMPLE_TEST} (SAN dns:example.test only). Paths: {@code /sni} answers the SNI host name the
 * client sent ({@code "-"} for none), {@code /echo} the request body, anything else {@code "ok"}.
 * Every response says which client port it came over in {@code X-Client-Port}.
 */
final class TlsServer implements AutoCloseable {
    static final String LOCALHOST = "localhost.p12";
    static final String EXAMPLE_TEST = "example-test.p12";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** The client ports of the connections requests came over: one per TLS connection. */
    final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    private TlsServer(String keyStore) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keyStore)));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static TlsServer start(String keyStore) throws IOException {
        return new TlsServer(keyStore);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        byte[] in;
        try (InputStream body = exchange.getRequestBody()) {
            in = body.readAllBytes();
        }
        byte[] out = switch (exchange.getRequestURI().getPath()) {
            case "/sni" -> sni((HttpsExchange) exchange).getBytes(StandardCharsets.US_ASCII);
            case "/echo" -> in;
            default -> "ok".getBytes(StandardCharsets.US_ASCII);
        };
        exchange.getResponseHeaders().set("X-Client-Port", Integer.toString(exchange.getRemoteAddress().getPort()));
        exchange.sendResponseHeaders(200, out.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(out);
        }
    }

    private static String sni(HttpsExchange exchange) {
        List<SNIServerName> names = ((ExtendedSSLSession) exchange.getSSLSession()).getRequestedServerNames();
        return names.isEmpty() ? "-" : ((SNIHostName) names.get(0)).getAsciiName();
    }

    /** A server context with the key store's key and certificate. */
    static SSLContext serverContext(String keyStore) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts the key store's self-signed certificate and nothing else. */
    static SSLContext trusting(String keyStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(keyStore));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(String resource) throws GeneralSecurityException {
        try (InputStream in = TlsServer.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
