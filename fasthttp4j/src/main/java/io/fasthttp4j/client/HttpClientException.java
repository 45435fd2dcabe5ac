package io.fasthttp4j.client;

import java.io.IOException;

/**
 * Why a client call failed: one of a few final types a caller can branch on, all of them
 * {@link IOException}s so that code which only cares that I/O failed needs no new catch clause.
 *
 * <pre>{@code
 * try {
 *     client.doTimeout(request, response, Duration.ofSeconds(1));
 * } catch (HttpClientException.Timeout e) {
 *     // slow server: retry later
 * } catch (HttpClientException.MalformedResponse e) {
 *     // broken server: e.getMessage() names the field and the rule
 * }
 * }</pre>
 *
 * After any of these the connection involved is closed, never returned to the pool.
 */
public abstract sealed class HttpClientException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Set by the client: failed on a reused connection before any response byte, so a retry may help. */
    transient boolean staleConnection;

    HttpClientException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The call's deadline, or the read or write timeout, passed before the response was complete. */
    public static final class Timeout extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public Timeout(String message) {
            super(message, null);
        }
    }

    /**
     * The connection to the server could not be set up within the dial timeout (or the call's
     * deadline): waiting for a dial slot, the TCP connect, the proxy's CONNECT or the TLS handshake.
     * The message says which.
     */
    public static final class DialTimeout extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public DialTimeout(String message) {
            super(message, null);
        }
    }

    /** Every one of {@code maxConns} connections was busy, and none came free within {@code maxConnWaitTimeout}. */
    public static final class NoFreeConnections extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public NoFreeConnections(String message) {
            super(message, null);
        }
    }

    /**
     * The connection closed or was reset before the response was complete (and a retry, if allowed,
     * did not help). The message says how much of the response had arrived.
     */
    public static final class ConnectionClosed extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public ConnectionClosed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A {@link PipelineClient} already had {@code maxPendingRequests} calls queued or in flight; this
     * one was refused at once, without being queued. The message names the limit.
     */
    public static final class PipelineOverflow extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public PipelineOverflow(String message) {
            super(message, null);
        }
    }

    /** A redirect chain was longer than the limit given, or looped. */
    public static final class TooManyRedirects extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public TooManyRedirects(String message) {
            super(message, null);
        }
    }

    /** The response body exceeded {@code maxResponseBodySize}; the rest was not read. */
    public static final class BodyTooLarge extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public BodyTooLarge(String message) {
            super(message, null);
        }
    }

    /**
     * The server's response broke HTTP/1.1's rules or one of the parser's limits. The message is the
     * codec's, naming the field and the rule or limit: {@code both Content-Length and Transfer-Encoding}.
     */
    public static final class MalformedResponse extends HttpClientException {
        private static final long serialVersionUID = 1L;

        public MalformedResponse(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The HTTP proxy answered CONNECT with a status other than 2xx (407: it wants credentials, see
     * {@code SettingsBuilder.proxy(addr, user, password)}); no tunnel was opened.
     */
    public static final class ProxyRefused extends HttpClientException {
        private static final long serialVersionUID = 1L;
        private final int statusCode;

        public ProxyRefused(int statusCode, String message) {
            super(message, null);
            this.statusCode = statusCode;
        }

        /** The proxy's status code. */
        public int statusCode() {
            return statusCode;
        }
    }
}
