package io.fasthttp4j.internal.codec;

import io.fasthttp4j.Status;
import java.nio.charset.StandardCharsets;

/** Status lines encoded once ("HTTP/1.1 200 OK\r\n"), so writing one is a single array copy. */
final class StatusLines {
    private StatusLines() {
    }

    private static final byte[][] LINES = new byte[600][];

    static {
        for (int code = 100; code < 600; code++) {
            LINES[code] = ("HTTP/1.1 " + code + " " + Status.reasonPhrase(code) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The encoded status line of {@code code} (100 to 599), CRLF included. */
    static byte[] of(int code) {
        return LINES[code];
    }
}
