package io.fasthttp4j.client;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.Request;
import io.fasthttp4j.RequestHeader;
import io.fasthttp4j.Response;
import io.fasthttp4j.Status;
import io.fasthttp4j.Uri;
import java.io.IOException;

/**
 * Follows redirects for a {@link Client} (RFC 9110 §15.4) on a pooled copy of the caller's request,
 * so the caller's request is left as it was. Allocates per redirect (the resolved URL is a string);
 * a response that is not a redirect costs nothing extra.
 */
final class Redirects {
    private final Client client;

    Redirects(Client client) {
        this.client = client;
    }

    void follow(Request original, Response response, int maxRedirects, long deadline) throws IOException {
        if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
        boolean streamedBody = original.hasBodyStream();   // sent and closed by the first call: it cannot be sent again
        client.doDeadlineNanos(original, response, deadline);
        if (!isRedirect(response)) return;
        if (streamedBody && !dropsBody(original.header(), response.statusCode())) return;   // as Go's client: the redirect is the answer
        Request request = Client.acquireRequest();
        try {
            original.copyTo(request);
            for (int redirects = 1; ; redirects++) {
                if (redirects > maxRedirects) {
                    throw new HttpClientException.TooManyRedirects("more than maxRedirects=" + maxRedirects
                            + " redirects; the last one from " + request.header().requestUri() + " to " + response.header().get("Location"));
                }
                prepare(request, response);
                client.doDeadlineNanos(request, response, deadline);
                if (!isRedirect(response)) return;
            }
        } finally {
            Client.releaseRequest(request);
        }
    }

    private static boolean isRedirect(Response response) {
        int status = response.statusCode();
        boolean redirect = status == Status.MOVED_PERMANENTLY || status == Status.FOUND || status == Status.SEE_OTHER
                || status == Status.TEMPORARY_REDIRECT || status == Status.PERMANENT_REDIRECT;
        ByteView location = response.header().peek("Location");
        return redirect && location != null && !location.isEmpty();   // a 3xx without Location is the final answer
    }

    /** Points {@code request} at the response's Location, changing the method where the status says so. */
    private static void prepare(Request request, Response response) {
        RequestHeader h = request.header();
        Uri current = currentUri(request);
        String before = authority(current);
        try {
            current.resolve(response.header().get("Location"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Location in a " + response.statusCode() + " response: " + e.getMessage(), e);
        }
        current.setHash("");
        h.setRequestUri(current.toString());
        if (!before.equals(authority(current))) {
            h.del("Host");            // the new host's name comes from the URI
            h.del("Authorization");   // credentials are for the host they were given to
            h.del("Cookie");
        }
        if (dropsBody(h, response.statusCode())) {
            h.setMethod("GET");
            request.bodyBuffer().reset();
            h.del("Content-Type");
            h.del("Content-Length");
            h.del("Transfer-Encoding");
        }
    }

    /** True when the redirect continues as a GET without body: 303, and 301/302 after a POST; 307 and 308 resend the body. */
    private static boolean dropsBody(RequestHeader h, int status) {
        return status == Status.SEE_OTHER ? !h.isHead()
                : (status == Status.MOVED_PERMANENTLY || status == Status.FOUND) && h.isPost();
    }

    private static Uri currentUri(Request request) {
        RequestHeader h = request.header();
        String uri = h.requestUri().isEmpty() ? "/" : h.requestUri().toString();
        Uri parsed = new Uri();
        if (uri.startsWith("/")) {
            ByteView host = h.host();
            if (host == null) throw new IllegalArgumentException("request names no host: neither an absolute URI nor a Host field");
            uri = "http://" + host + uri;
        }
        parsed.parse(uri);
        return parsed;
    }

    private static String authority(Uri uri) {
        return uri.scheme() + "://" + uri.host() + ":" + uri.port();
    }
}
