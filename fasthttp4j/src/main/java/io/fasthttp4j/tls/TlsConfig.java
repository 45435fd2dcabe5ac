package io.fasthttp4j.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A server's TLS settings: its certificates, protocol versions, cipher suites, ALPN protocols and
 * client authentication. Built by {@link #builder()}; immutable except for the key material, which
 * {@link #reload()} replaces for new handshakes. {@link #newEngine(SocketAddress)} makes the engine of
 * one connection. Thread-safe.
 */
public final class TlsConfig {
    /** The default of {@link Builder#handshakeTimeout(Duration)}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The default of {@link Builder#protocols(String...)}. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** The default of {@link Builder#applicationProtocols(String...)}. */
    public static final List<String> DEFAULT_APPLICATION_PROTOCOLS = List.of("http/1.1");

    private final TlsFiles files;   // null when built from an SSLContext
    private final String[] protocols;
    private final String[] cipherSuites;   // null: the JDK's defaults
    private final String[] applicationProtocols;
    private final ClientAuth clientAuth;
    private final Duration handshakeTimeout;
    private volatile SSLContext context;   // replaced by reload(), read by newEngine()

    private TlsConfig(Builder b, TlsFiles files, SSLContext context) {
        this.files = files;
        this.context = context;
        this.protocols = b.protocols.toArray(String[]::new);
        this.cipherSuites = b.cipherSuites == null ? null : b.cipherSuites.toArray(String[]::new);
        this.applicationProtocols = b.applicationProtocols.toArray(String[]::new);
        this.clientAuth = b.clientAuth;
        this.handshakeTimeout = b.handshakeTimeout;
    }

    /** A builder with the defaults; it needs a certificate, a key store entry or an {@link SSLContext}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A server-mode engine for a new connection from {@code peer} (null if unknown), with this
     * configuration's protocols, cipher suites, ALPN protocols and client authentication, and the key
     * material current at this call.
     */
    public SSLEngine newEngine(SocketAddress peer) {
        SSLContext current = context;
        SSLEngine engine = peer instanceof InetSocketAddress address
            ? current.createSSLEngine(address.getHostString(), address.getPort())   // no reverse DNS lookup
            : current.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites != null) parameters.setCipherSuites(cipherSuites);
        // RFC 7301 §3.2: the JDK picks the first of ours the client offers, and fails the handshake with
        // no_application_protocol when it offers none of them; a client that sends no ALPN gets no protocol.
        parameters.setApplicationProtocols(applicationProtocols);
        switch (clientAuth) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> { }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * Reads the certificate, key and trust files again and uses them for handshakes from now on;
     * connections already established keep their keys. Call it when the files were renewed (from a
     * scheduled task, or on a signal). Safe while the server runs.
     *
     * @throws IOException naming the file, when one is missing, unreadable or does not match; the
     *                     material in use stays
     * @throws IllegalStateException when this configuration was built from an {@link SSLContext}
     */
    public synchronized void reload() throws IOException {
        if (files == null) throw new IllegalStateException("nothing to reload: this TlsConfig was built from an SSLContext");
        context = files.load();
    }

    /** The context new engines come from: the latest loaded, or the one given to the builder. */
    public SSLContext sslContext() {
        return context;
    }

    /** The protocol versions offered, most preferred first. */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The cipher suites enabled; null for the JDK's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites == null ? null : List.of(cipherSuites);
    }

    /** The ALPN protocols, most preferred first; empty when ALPN is off. */
    public List<String> applicationProtocols() {
        return List.of(applicationProtocols);
    }

    /** Whether client certificates are asked for. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Longest a handshake may take; the server closes a connection whose handshake takes longer. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Collects a TLS configuration; every setting has a documented default. Not thread-safe. */
    public static final class Builder {
        private final List<TlsFiles.KeySource> keys = new ArrayList<>();
        private TlsFiles.TrustSource trust;
        private SSLContext sslContext;
        private java.security.Provider provider;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites;
        private List<String> applicationProtocols = DEFAULT_APPLICATION_PROTOCOLS;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {
        }

        /**
         * Adds a certificate: a PEM chain (leaf first, then intermediates) and the leaf's PEM private key,
         * PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC or EdDSA) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
         * The first certificate added is the default; others serve the SNI host names their subject
         * alternative names list (exact, or {@code *.} wildcards). Encrypted and SEC1 ({@code BEGIN EC
         * PRIVATE KEY}) keys are refused with the openssl command that converts them.
         */
        public Builder certificate(Path chainFile, Path keyFile) {
            keys.add(new TlsFiles.PemPair(Objects.requireNonNull(chainFile, "chainFile"), Objects.requireNonNull(keyFile, "keyFile")));
            return this;
        }

        /** Adds the only key entry of a PKCS#12 or JKS key store as a certificate, as {@link #certificate} does. */
        public Builder keyStore(Path file, char[] password) {
            return keyStore(file, password, null);
        }

        /** Adds key entry {@code alias} of a PKCS#12 or JKS key store as a certificate; the key's password is the store's. */
        public Builder keyStore(Path file, char[] password, String alias) {
            keys.add(new TlsFiles.StoreEntry(Objects.requireNonNull(file, "file"), password == null ? null : password.clone(), alias));
            return this;
        }

        /**
         * Uses a ready context instead of files: its key managers pick the certificate and its trust
         * managers check client certificates. Such a configuration cannot {@link TlsConfig#reload()}.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The JCA provider whose TLS implementation serves the files' certificates, e.g. Conscrypt's
         * ({@code Conscrypt.newProvider()}, BoringSSL underneath) for faster handshakes and records.
         * Default: the JDK's (JSSE). SNI, reload and client authentication work the same with either.
         */
        public Builder provider(java.security.Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The protocol versions offered. Default {@code TLSv1.3, TLSv1.2}: older ones are broken (RFC 8996). */
        public Builder protocols(String... protocols) {
            this.protocols = nonEmpty("protocols", protocols);
            return this;
        }

        /** The cipher suites enabled, in the JDK's names. Default: the JDK's enabled suites. */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites = nonEmpty("cipherSuites", suites);
            return this;
        }

        /**
         * The ALPN protocols (RFC 7301), most preferred first. Default {@code http/1.1}. The first of these
         * the client offers is chosen; a client that offers only others fails the handshake with
         * no_application_protocol; one that offers none is served without. No arguments: ALPN off.
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /** Whether client certificates are asked for; default {@link ClientAuth#NONE}. WANT and NEED need trusted CAs. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /** The CAs client certificates must chain to: a PEM file of certificates. */
        public Builder trustedCertificates(Path caFile) {
            this.trust = new TlsFiles.PemTrust(Objects.requireNonNull(caFile, "caFile"));
            return this;
        }

        /** The CAs client certificates must chain to: the certificate entries of a PKCS#12 or JKS store. */
        public Builder trustStore(Path file, char[] password) {
            this.trust = new TlsFiles.StoreTrust(Objects.requireNonNull(file, "file"), password == null ? null : password.clone());
            return this;
        }

        /**
         * Longest a handshake may take, from the connection's accept. Default 10 s: a client that starts a
         * handshake and stalls would otherwise hold a connection and its buffers. The server enforces it
         * and closes the connection without a response.
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("handshakeTimeout must be positive, was " + timeout);
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Reads the files and checks the settings.
         *
         * @throws IOException naming the file, when one is missing, unreadable, or a key does not match its certificate
         * @throws IllegalStateException when the settings contradict each other (no certificate, or
         *                               client authentication without trusted CAs)
         * @throws IllegalArgumentException when the JDK does not support a protocol or cipher suite
         */
        public TlsConfig build() throws IOException {
            if (sslContext != null) {
                if (!keys.isEmpty() || trust != null) throw new IllegalStateException("sslContext(...) excludes certificate, keyStore and trust settings: the context has its own");
                checkSupported(sslContext);
                return new TlsConfig(this, null, sslContext);
            }
            if (keys.isEmpty()) throw new IllegalStateException("no certificate: call certificate(chainFile, keyFile), keyStore(...) or sslContext(...)");
            if (clientAuth != ClientAuth.NONE && trust == null) {
                throw new IllegalStateException("clientAuth " + clientAuth + " needs trusted CAs: trustedCertificates(caFile) or trustStore(file, password)");
            }
            if (clientAuth == ClientAuth.NONE && trust != null) {
                throw new IllegalStateException("trusted CAs are set but clientAuth is NONE: set clientAuth(WANT or NEED), or drop the CAs");
            }
            TlsFiles files = new TlsFiles(keys, trust, provider);
            SSLContext context = files.load();
            checkSupported(context);
            return new TlsConfig(this, files, context);
        }

        private void checkSupported(SSLContext context) {
            SSLParameters supported = context.getSupportedSSLParameters();
            checkAmong("protocol", protocols, supported.getProtocols());
            if (cipherSuites != null) checkAmong("cipher suite", cipherSuites, supported.getCipherSuites());
        }

        private static void checkAmong(String what, List<String> wanted, String[] supported) {
            List<String> known = Arrays.asList(supported);
            for (String name : wanted) {
                if (!known.contains(name)) throw new IllegalArgumentException("unsupported " + what + " " + name + "; the JDK supports " + known);
            }
        }

        private static List<String> nonEmpty(String name, String... values) {
            if (values.length == 0) throw new IllegalArgumentException(name + " must not be empty");
            return List.of(values);
        }
    }
}
