package io.fasthttp4j.server;

import io.fasthttp4j.Uri;

/**
 * Builds a redirect's Location value: the target resolved against the request's URI (RFC 3986 §5.2),
 * in a scratch {@link Uri} kept for the context's life so that redirects reuse it.
 */
final class RedirectLocation {
    private Uri target;

    /** {@code location} resolved against {@code base}; refuses a status that is not a redirect and CR or LF in the location. */
    String resolve(Uri base, String location, int status) {
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("redirect status must be 301, 302, 303, 307 or 308, was " + status);
        }
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c == '\r' || c == '\n') throw new IllegalArgumentException("CR or LF in redirect location");
        }
        if (target == null) target = new Uri();
        target.reset();
        base.copyTo(target);
        target.resolve(location);
        return target.toString();
    }
}
