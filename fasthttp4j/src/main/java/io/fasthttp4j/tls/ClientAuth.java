package io.fasthttp4j.tls;

/** Whether the server asks TLS clients for a certificate (mutual TLS), set by {@link TlsConfig.Builder#clientAuth}. */
public enum ClientAuth {
    /** No certificate is asked for. */
    NONE,
    /** A certificate is asked for; a client without one is served, one with an untrusted one is refused. */
    WANT,
    /** A trusted certificate is required; the handshake fails without one. */
    NEED
}
