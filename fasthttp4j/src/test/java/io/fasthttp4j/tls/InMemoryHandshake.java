package io.fasthttp4j.tls;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.util.List;

/**
 * A TLS handshake between a client engine and a server engine in memory, without sockets: what a
 * server configuration serves, checked from the client's side.
 */
final class InMemoryHandshake {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private InMemoryHandshake() {
    }

    /**
     * The certificate chain {@code server} presents to a client that sends SNI {@code hostName} (null:
     * none) and trusts any server.
     */
    static X509Certificate[] servedChain(SSLEngine server, String hostName) throws SSLException {
        SSLEngine client = trustingAnyServer().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        if (hostName != null) {
            SSLParameters parameters = client.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(hostName)));
            client.setSSLParameters(parameters);
        }
        SSLSession session = run(client, server);
        try {
            return (X509Certificate[]) session.getPeerCertificates();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new SSLException(e);
        }
    }

    /** Runs the handshake to its end; returns the client's session. */
    static SSLSession run(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer plaintext = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        server.beginHandshake();
        for (int steps = 0; busy(client) || busy(server); steps++) {
            if (steps > 1000) throw new IllegalStateException("handshake does not end: " + client.getHandshakeStatus() + " " + server.getHandshakeStatus());
            step(client, toClient, toServer, plaintext);
            step(server, toServer, toClient, plaintext);
        }
        return client.getSession();
    }

    private static boolean busy(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer plaintext) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
            }
            case NEED_WRAP -> engine.wrap(EMPTY, out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, plaintext.clear());
                in.compact();
            }
            default -> { }
        }
    }

    /** A client context that accepts any server certificate: for checking which one is served. */
    static SSLContext trustingAnyServer() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyServer()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
