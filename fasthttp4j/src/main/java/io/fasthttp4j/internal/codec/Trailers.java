package io.fasthttp4j.internal.codec;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.HeaderFields;

/** The trailer section after a chunked body, and the fields it may not carry (RFC 9110 §6.5.1). */
final class Trailers {
    private Trailers() {
    }

    // Framing, routing, request modifiers, authentication and content metadata: a recipient must not
    // act on them in trailers, and a proxy that merged them into the header would be fooled.
    private static final String[] FORBIDDEN = {
        "content-length", "transfer-encoding", "host", "trailer", "content-type", "content-encoding",
        "content-range", "authorization", "proxy-authorization", "expect", "range", "te", "cookie",
        "set-cookie", "connection", "cache-control", "max-forwards", "if-match", "if-none-match",
        "if-modified-since", "if-unmodified-since", "if-range", "upgrade", "keep-alive",
    };

    /** Parses the trailer section {@code b[from..to)} (ending with its empty line) into {@code trailers}. */
    static void parse(byte[] b, int from, int to, HeaderFields trailers, int maxCount) {
        int first = trailers.count();
        if (trailers.parseCopy(b, from, to, maxCount) < 0) throw new IllegalStateException("incomplete trailer section");
        for (int i = first; i < trailers.count(); i++) {
            ByteView name = trailers.nameAt(i);
            for (String forbidden : FORBIDDEN) {
                if (name.equalsIgnoreCase(forbidden)) throw BadRequestException.of(400, "field %s not allowed in trailers", name);
            }
        }
    }
}
