package io.fasthttp4j.client;

import io.fasthttp4j.Args;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.pool.ObjectPool;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client for any host: fasthttp's Client. Each request goes to the host its URI names
 * ({@code http://host:port/path} or {@code https://...}), or its Host field for an origin-form URI, through that host's
 * {@link HostClient}, created on first use with this client's settings and removed once it has been
 * idle for {@code maxIdleConnDuration} with no connection left. Thread-safe: share one, or use
 * {@link #defaultClient()}.
 *
 * <p>Requests and responses can be taken from pools ({@link #acquireRequest()},
 * {@link #releaseRequest}), so that steady-state calls reuse their arrays. A released object must not
 * be used again: its views then read the next user's data.
 */
public final class Client implements AutoCloseable {
    /** Redirects followed by {@link #get} and {@link #post}, as fasthttp's defaultMaxRedirectsCount. */
    public static final int DEFAULT_MAX_REDIRECTS = 16;
    private static final long CLEANUP_INTERVAL_NANOS = 1_000_000_000L;

    private static final boolean CHECKED_POOLS = Boolean.getBoolean("fasthttp4j.checkedPools");
    private static final ObjectPool<Request> requests = new ObjectPool<>("Request", 1024, Request::new, Request::reset, CHECKED_POOLS);
    private static final ObjectPool<Response> responses = new ObjectPool<>("Response", 1024, Response::new, Response::reset, CHECKED_POOLS);
    private static final ObjectPool<RequestTarget> targets = new ObjectPool<>("RequestTarget", 256, RequestTarget::new, RequestTarget::reset, false);

    private final Settings settings;
    private final Dialer dialer;                       // shared by the host clients: one DNS cache, one limit on dials
    private final Sweeper sweeper = new Sweeper("fasthttp4j-client-sweeper");
    private final HostTable hostClients = new HostTable();
    private final AtomicLong nextCleanupNanos = new AtomicLong(System.nanoTime() + CLEANUP_INTERVAL_NANOS);
    private final Redirects redirects = new Redirects(this);
    private volatile boolean closed;

    private Client(Settings settings, Dialer dialer) {
        this.settings = settings;
        this.dialer = dialer;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static final class DefaultHolder {
        static final Client INSTANCE = builder().build();
    }

    /** The shared client with the default settings, created on first use; closing it is a mistake. */
    public static Client defaultClient() {
        return DefaultHolder.INSTANCE;
    }

    // ---- pooled requests and responses ----

    /** Returns an empty request from the shared pool; pair it with {@link #releaseRequest} in a finally block. */
    public static Request acquireRequest() {
        return requests.acquire();
    }

    /** Resets {@code request} and returns it to the pool; it must not be used afterwards. */
    public static void releaseRequest(Request request) {
        requests.release(request);
    }

    /** Returns an empty response from the shared pool; pair it with {@link #releaseResponse} in a finally block. */
    public static Response acquireResponse() {
        return responses.acquire();
    }

    /** Resets {@code response} and returns it to the pool; views into it are invalid afterwards. */
    public static void releaseResponse(Response response) {
        responses.release(response);
    }

    /** Requests acquired from the pool and not yet released (tests assert zero). */
    public static long requestsInUse() {
        return requests.outstanding();
    }

    /** Responses acquired from the pool and not yet released (tests assert zero). */
    public static long responsesInUse() {
        return responses.outstanding();
    }

    // ---- calls ----

    /**
     * Sends {@code request} to the host its URI (or Host field) names and reads the response into
     * {@code response}; redirects are not followed. See {@link HostClient#doRequest} for retries,
     * what is thrown and how long the response stays valid.
     *
     * @throws IllegalArgumentException when the request names no host, or a scheme other than http or https
     */
    public void doRequest(Request request, Response response) throws IOException {
        doDeadlineNanos(request, response, 0);
    }

    /** Like {@link #doRequest}, failing with {@link HttpClientException.Timeout} past {@code timeout}. */
    public void doTimeout(Request request, Response response, Duration timeout) throws IOException {
        long d = System.nanoTime() + timeout.toNanos();
        doDeadlineNanos(request, response, d == 0 ? 1 : d);
    }

    /** Like {@link #doTimeout}, with an absolute deadline. */
    public void doDeadline(Request request, Response response, Instant deadline) throws IOException {
        long d = System.nanoTime() + Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        doDeadlineNanos(request, response, d == 0 ? 1 : d);
    }

    /**
     * Like {@link #doRequest}, following up to {@code maxRedirects} redirects (301, 302, 303, 307,
     * 308 with a Location): 303, and 301/302 after a POST, continue as a GET without body; 307 and
     * 308 keep the method and body. {@code request} itself is not changed; {@code response} holds the
     * last response. A request whose body is a stream ({@link Request#setBodyStream}) cannot be sent
     * twice: a redirect that would resend its body is not followed, and {@code response} is that
     * redirect (as Go's client does).
     *
     * @throws HttpClientException.TooManyRedirects past {@code maxRedirects} (a loop ends this way too)
     */
    public void doRedirects(Request request, Response response, int maxRedirects) throws IOException {
        redirects.follow(request, response, maxRedirects, 0);
    }

    /** GETs {@code url}, following up to {@value #DEFAULT_MAX_REDIRECTS} redirects; returns the status. */
    public int get(String url, Response response) throws IOException {
        Request request = acquireRequest();
        try {
            request.header().setRequestUri(url);
            redirects.follow(request, response, DEFAULT_MAX_REDIRECTS, 0);
            return response.statusCode();
        } finally {
            releaseRequest(request);
        }
    }

    /** POSTs {@code form} as {@code application/x-www-form-urlencoded} to {@code url}, following redirects; returns the status. */
    public int post(String url, Args form, Response response) throws IOException {
        Request request = acquireRequest();
        try {
            request.header().setMethod("POST");
            request.header().setRequestUri(url);
            request.header().setContentType("application/x-www-form-urlencoded");
            form.appendTo(request.bodyBuffer());
            redirects.follow(request, response, DEFAULT_MAX_REDIRECTS, 0);
            return response.statusCode();
        } finally {
            releaseRequest(request);
        }
    }

    /** POSTs {@code body} with {@code contentType} to {@code url}, following redirects; returns the status. */
    public int post(String url, String contentType, byte[] body, Response response) throws IOException {
        Request request = acquireRequest();
        try {
            request.header().setMethod("POST");
            request.header().setRequestUri(url);
            request.header().setContentType(contentType);
            request.setBody(body);
            redirects.follow(request, response, DEFAULT_MAX_REDIRECTS, 0);
            return response.statusCode();
        } finally {
            releaseRequest(request);
        }
    }

    void doDeadlineNanos(Request request, Response response, long deadline) throws IOException {
        if (closed) throw new HttpClientException.ConnectionClosed("client is closed", null);
        cleanupIfDue();
        while (true) {
            HostClient host = hostClientFor(request);
            if (host.doDeadlineNanosIfActive(request, response, deadline)) return;
            // retired as idle between the lookup and the call: look up again
        }
    }

    private HostClient hostClientFor(Request request) {
        RequestTarget target = targets.acquire();
        try {
            target.parse(request);
            byte[] array = target.array;
            int from = target.hostFrom;
            int to = target.hostTo;
            if (!target.hasHost()) {
                ByteView host = request.header().host();
                if (host == null || host.isEmpty()) throw new IllegalArgumentException("request names no host: neither an absolute URI nor a Host field");
                array = host.array();
                from = host.offset();
                to = from + host.length();
            }
            int colon = portColon(array, from, to);
            int port = colon < 0 ? (target.tls ? 443 : 80) : parsePort(array, colon + 1, to);
            int hostTo = colon < 0 ? to : colon;
            HostClient client = hostClients.get(array, from, hostTo, port, target.tls);
            if (client != null) return client;
            return hostClients.getOrCreate(array, from, hostTo, port, target.tls, this::newHostClient);
        } finally {
            targets.release(target);
        }
    }

    private HostClient newHostClient(String addr, boolean tls) {
        return new HostClient(addr, settings.withTls(tls), sweeper, dialer);
    }

    // the ':' before a port, or -1: "host", "host:80", "[::1]", "[::1]:80"
    private static int portColon(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == ':') return i;
            if (b[i] == ']' || b[i] < '0' || b[i] > '9') return -1;
        }
        return -1;
    }

    private static int parsePort(byte[] b, int from, int to) {
        int port = 0;
        for (int i = from; i < to; i++) port = port * 10 + (b[i] - '0');
        if (from == to || to - from > 5 || port < 1 || port > 65535) throw new IllegalArgumentException("invalid port in request host");
        return port;
    }

    private void cleanupIfDue() {
        long now = System.nanoTime();
        long due = nextCleanupNanos.get();
        if (now - due < 0 || !nextCleanupNanos.compareAndSet(due, now + CLEANUP_INTERVAL_NANOS)) return;
        hostClients.removeIdle(now, settings.maxIdleConnNanos());
    }

    /** Closes the idle connections of every host now; returns how many were closed. */
    public int closeIdleConnections() {
        int closed = 0;
        for (HostClient c : hostClients.clients()) closed += c.closeIdleConnections();
        return closed;
    }

    /** Host clients held now (idle ones are removed after {@code maxIdleConnDuration}). */
    public int hostClientsCount() {
        return hostClients.size();
    }

    /** Open connections over all hosts. */
    public int connsCount() {
        int n = 0;
        for (HostClient c : hostClients.clients()) n += c.connsCount();
        return n;
    }

    /** Calls in progress over all hosts. */
    public int pendingRequests() {
        int n = 0;
        for (HostClient c : hostClients.clients()) n += c.pendingRequests();
        return n;
    }

    /** Closes every host client: idle connections now, busy ones when their call ends. */
    @Override
    public void close() {
        closed = true;
        List<HostClient> removed = hostClients.removeIf(c -> true);
        for (HostClient c : removed) c.close();
    }

    /** Collects the settings of a {@link Client}, applied to each host; see {@link SettingsBuilder} for each. */
    public static final class Builder extends SettingsBuilder<Builder> {
        private Builder() {
        }

        public Client build() {
            Settings settings = settings();
            return new Client(settings, dialer(settings));
        }
    }
}
