package io.fasthttp4j.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What every contender asks for and must get back: {@code GET http://host:port/path}, answered 200
 * with exactly {@code body}, over at most {@code maxConns} connections.
 */
record Target(String host, int port, String path, byte[] body, int maxConns) {
    String addr() {
        return host + ":" + port;
    }

    String url() {
        return "http://" + host + ":" + port + path;
    }

    /** Checks one answer; the message of the exception says what differed. Allocates nothing when it matches. */
    void check(int status, byte[] got) {
        check(status, got, 0, got.length);
    }

    void check(int status, byte[] got, int from, int length) {
        if (status != 200) throw new WrongAnswer("status " + status + ", want 200");
        if (!Arrays.equals(got, from, from + length, body, 0, body.length)) {
            String text = new String(got, from, Math.min(length, 60), StandardCharsets.ISO_8859_1);
            throw new WrongAnswer("body '" + text + "' (" + length + " bytes), want '" + new String(body, StandardCharsets.ISO_8859_1) + "'");
        }
    }

    /** An answer that is not the one every contender must get. */
    static final class WrongAnswer extends RuntimeException {
        WrongAnswer(String message) {
            super(message);
        }
    }
}
