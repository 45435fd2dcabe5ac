package io.fasthttp4j.server;

import io.fasthttp4j.tls.TlsConfig;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import jdk.net.ExtendedSocketOptions;

/**
 * The part of a server's configuration that sits between the network and HTTP: options of the
 * listening and accepted TCP sockets, the PROXY protocol header and TLS. An immutable value, read by
 * the accept loop and by {@link Connections}, which builds each connection's byte pipeline from it;
 * {@link ServerConfig#edge()} returns it. Every setting is documented, with its default, on its
 * {@link Builder} method, which {@link Server.Builder} inherits.
 *
 * <p>The socket options are TCP's: a Unix domain socket listener ({@code "unix:/path"}) and its
 * connections have none of them, and are left as they are.
 */
public final class EdgeConfig {
    private static final boolean KEEPALIVE_TUNABLE = keepAliveTunable();

    private final TlsConfig tls;
    private final ProxyProtocolConfig proxyProtocol;
    private final boolean reusePort;
    private final boolean tcpKeepAlive;
    private final Duration tcpKeepAlivePeriod;
    private final boolean tcpNoDelay;

    EdgeConfig(Builder<?> b) {
        if (b.tcpKeepAlivePeriod != null && !b.tcpKeepAlive) {
            throw new IllegalArgumentException("tcpKeepAlivePeriod=" + b.tcpKeepAlivePeriod + " needs tcpKeepAlive(true)");
        }
        tls = b.tls;
        proxyProtocol = b.proxyProtocol;
        reusePort = b.reusePort;
        tcpKeepAlive = b.tcpKeepAlive;
        tcpKeepAlivePeriod = b.tcpKeepAlivePeriod;
        tcpNoDelay = b.tcpNoDelay;
    }

    /** TLS for every accepted connection; null for plain HTTP. */
    public TlsConfig tls() {
        return tls;
    }

    /** Whether connections start with a PROXY protocol header, and from which peers; off by default. */
    public ProxyProtocolConfig proxyProtocol() {
        return proxyProtocol;
    }

    /** True when TCP listeners set SO_REUSEPORT, so that several servers may listen on one port. */
    public boolean reusePort() {
        return reusePort;
    }

    /** True when accepted TCP connections send keep-alive probes (SO_KEEPALIVE). */
    public boolean tcpKeepAlive() {
        return tcpKeepAlive;
    }

    /** Idle time before the first keep-alive probe and between probes; null for the operating system's. */
    public Duration tcpKeepAlivePeriod() {
        return tcpKeepAlivePeriod;
    }

    /** True when accepted TCP connections send small writes at once (TCP_NODELAY, no Nagle delay). */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** @throws IllegalStateException when a setting needs a socket option this platform lacks */
    void checkSupported() {
        if (tcpKeepAlivePeriod != null && !KEEPALIVE_TUNABLE) {
            throw new IllegalStateException("tcpKeepAlivePeriod=" + tcpKeepAlivePeriod + " needs the TCP_KEEPIDLE and "
                    + "TCP_KEEPINTERVAL socket options, which this platform does not support (" + System.getProperty("os.name") + ")");
        }
    }

    private static boolean keepAliveTunable() {
        try (SocketChannel probe = SocketChannel.open()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)
                    && probe.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPINTERVAL);
        } catch (IOException e) {
            return false;
        }
    }

    /** Sets the listener's options; before it is bound. */
    void configureTcpListener(ServerSocketChannel listener) throws IOException {
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);   // a restart binds while old connections linger in TIME_WAIT
        if (!reusePort) return;
        if (!listener.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new IllegalStateException("reusePort needs the SO_REUSEPORT socket option, which this platform does not support ("
                    + System.getProperty("os.name") + ")");
        }
        listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }

    /** Sets an accepted TCP connection's options. */
    void configureTcpConnection(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, tcpNoDelay);
        if (!tcpKeepAlive) return;
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (tcpKeepAlivePeriod == null) return;
        int seconds = (int) tcpKeepAlivePeriod.toSeconds();
        channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, seconds);
        channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds);
    }

    /**
     * Collects the connection-edge settings. {@link ServerConfig.Builder}, and so {@link Server.Builder},
     * extends it: use it through {@link Server#builder(RequestHandler)}.
     */
    public abstract static class Builder<B extends Builder<B>> {
        /** Largest {@link #tcpKeepAlivePeriod(Duration)}: what Linux accepts for TCP_KEEPIDLE. */
        public static final Duration MAX_TCP_KEEPALIVE_PERIOD = Duration.ofSeconds(32767);

        TlsConfig tls;
        ProxyProtocolConfig proxyProtocol = ProxyProtocolConfig.off();
        boolean reusePort;
        boolean tcpKeepAlive;
        Duration tcpKeepAlivePeriod;
        boolean tcpNoDelay = true;

        Builder() {   // package-private: only ServerConfig.Builder extends it
        }

        /**
         * Serves HTTPS: every accepted connection does a TLS handshake with {@code config} (certificates
         * chosen by SNI, ALPN, client certificates) on either transport. A new connection must finish its
         * handshake and send its first request byte within the handshake timeout or the read timeout,
         * whichever is shorter. Default null: plain HTTP.
         */
        public B tls(TlsConfig config) {
            this.tls = config;
            return self();
        }

        /**
         * Reads the PROXY protocol header (versions 1 and 2) that a load balancer sends before the
         * client's bytes, from the peers {@code config} trusts, so that {@link RequestCtx#remoteAddress()}
         * is the client's. The header comes before TLS. A malformed header, or none within the header
         * timeout, closes the connection without an answer. A Unix domain socket peer has no address:
         * it is trusted only with {@link ProxyProtocolConfig.Builder#trustUnixPeers()}. Default
         * {@link ProxyProtocolConfig#off()}.
         */
        public B proxyProtocol(ProxyProtocolConfig config) {
            this.proxyProtocol = Objects.requireNonNull(config, "config");
            return self();
        }

        /**
         * Sets SO_REUSEPORT on the TCP listeners this server binds, so that several servers (in this
         * process or others) may listen on one port; the kernel spreads new connections over them. Every
         * one of them must set it. Default false: binding a port in use fails. Starting a server with it
         * fails with {@link IllegalStateException} where the platform lacks the option.
         */
        public B reusePort(boolean reuse) {
            this.reusePort = reuse;
            return self();
        }

        /**
         * Sets SO_KEEPALIVE on accepted TCP connections: the operating system probes a connection idle
         * that long and closes it when the peer does not answer, so that a client that vanished (power
         * off, a NAT that forgot it) does not hold a connection until the idle timeout. Default false,
         * as fasthttp's TCPKeepalive: the idle timeout already ends such connections.
         */
        public B tcpKeepAlive(boolean keepAlive) {
            this.tcpKeepAlive = keepAlive;
            return self();
        }

        /**
         * Idle time before the first keep-alive probe and between probes (TCP_KEEPIDLE and
         * TCP_KEEPINTERVAL, whole seconds); the number of probes stays the operating system's (9 on
         * Linux). Needs {@link #tcpKeepAlive(boolean) tcpKeepAlive(true)}, else building fails. Default
         * null: the operating system's (2 hours on Linux). From 1 s to {@link #MAX_TCP_KEEPALIVE_PERIOD}.
         * Starting a server with it fails with {@link IllegalStateException} where the platform lacks
         * the options.
         */
        public B tcpKeepAlivePeriod(Duration period) {
            Objects.requireNonNull(period, "tcpKeepAlivePeriod");
            if (period.getNano() != 0 || period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(MAX_TCP_KEEPALIVE_PERIOD) > 0) {
                throw new IllegalArgumentException("tcpKeepAlivePeriod must be whole seconds from 1 s to "
                        + MAX_TCP_KEEPALIVE_PERIOD.toSeconds() + " s, was " + period);
            }
            this.tcpKeepAlivePeriod = period;
            return self();
        }

        /**
         * Sets TCP_NODELAY on accepted TCP connections, so that a response goes out when written rather
         * than after Nagle's delay for the peer's acknowledgement. Default true: the server writes each
         * batch of responses in one call already, so Nagle would only add latency.
         */
        public B tcpNoDelay(boolean noDelay) {
            this.tcpNoDelay = noDelay;
            return self();
        }

        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }
    }
}
