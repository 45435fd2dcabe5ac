package io.fasthttp4j.bench.floor;

/**
 * Where one request ends and which answer it wants, found with as little work as the profiles allow:
 * CRLFCRLF ends the header section; the request line gives the route and the query's numbers; three
 * headers are looked at (Content-Length, Transfer-Encoding, Connection); the body is skipped, its
 * bytes counted and its digits summed. Trusts its input. Runs on the loop thread only.
 */
final class Request {
    static final int NOT_FOUND = 0, BASELINE = 1, PIPELINE = 2, JSON = 3, UPLOAD = 4;
    private static final int HEAD = 0, BODY = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_END = 4, TRAILER = 5;

    int route;
    boolean close;
    boolean complete;
    private int state;
    private long querySum;
    private int jsonCount;
    private int jsonM;
    private long remaining;      // body or chunk bytes still to skip
    private long bodyBytes;
    private long bodyNumber;
    private boolean bodyNegative;

    void reset() {
        route = NOT_FOUND;
        close = false;
        complete = false;
        state = HEAD;
        querySum = 0;
        jsonCount = 0;
        jsonM = 1;
        remaining = 0;
        bodyBytes = 0;
        bodyNumber = 0;
        bodyNegative = false;
    }

    Request() {
        reset();
    }

    /** Consumes bytes of {@code buf[from, to)}; returns how many. Sets {@link #complete} at the request's end. */
    int consume(byte[] buf, int from, int to) {
        int pos = from;
        while (!complete) {
            int used = step(buf, pos, to);
            if (used < 0) break;   // needs more bytes
            pos += used;
        }
        return pos - from;
    }

    /** One state's work; -1 when it needs more bytes than {@code [pos, to)}. */
    private int step(byte[] buf, int pos, int to) {
        switch (state) {
            case HEAD: {
                int end = indexOf(buf, pos, to, Main.CRLFCRLF);
                if (end < 0) return -1;
                head(buf, pos, end + 2);
                return end + 4 - pos;
            }
            case BODY:
            case CHUNK_DATA: {
                if (pos == to && remaining > 0) return -1;
                int n = (int) Math.min(remaining, to - pos);
                body(buf, pos, n);
                remaining -= n;
                if (remaining == 0) {
                    if (state == BODY) complete = true;
                    else state = CHUNK_END;
                }
                return n;
            }
            case CHUNK_END: {
                if (to - pos < 2) return -1;
                state = CHUNK_SIZE;
                return 2;
            }
            case CHUNK_SIZE: {
                int eol = indexOf(buf, pos, to, Main.CRLFCRLF, 2);
                if (eol < 0) return -1;
                long size = 0;
                for (int i = pos; i < eol && hex(buf[i]) >= 0; i++) size = size * 16 + hex(buf[i]);
                remaining = size;
                state = size == 0 ? TRAILER : CHUNK_DATA;
                return eol + 2 - pos;
            }
            default: {   // TRAILER: lines up to an empty one
                int eol = indexOf(buf, pos, to, Main.CRLFCRLF, 2);
                if (eol < 0) return -1;
                if (eol == pos) complete = true;
                return eol + 2 - pos;
            }
        }
    }

    /** The request line and header fields of {@code buf[from, to)} (each line ends in CRLF). */
    private void head(byte[] buf, int from, int to) {
        int sp = from;
        while (buf[sp] != ' ') sp++;
        boolean post = buf[from] == 'P';
        int lineEnd = requestLine(buf, sp + 1);
        long contentLength = 0;
        boolean chunked = false;
        for (int line = lineEnd + 2; line < to; ) {
            int eol = indexOf(buf, line, to, Main.CRLFCRLF, 2);
            if (startsWithIgnoreCase(buf, line, eol, "content-length:")) contentLength = number(buf, line + 15, eol);
            else if (startsWithIgnoreCase(buf, line, eol, "transfer-encoding:")) chunked = true;
            else if (startsWithIgnoreCase(buf, line, eol, "connection:")) close = contains(buf, line + 11, eol, (byte) 'c');
            line = eol + 2;
        }
        if (!post) complete = true;
        else if (chunked) state = CHUNK_SIZE;
        else if (contentLength == 0) complete = true;
        else {
            state = BODY;
            remaining = contentLength;
        }
    }

    /** Reads the route and the query's numbers from the request-target at {@code at}; returns the line's CR. */
    private int requestLine(byte[] buf, int at) {
        int end = at;
        while (buf[end] != ' ' && buf[end] != '?') end++;
        if (equals(buf, at, end, "/baseline11")) route = BASELINE;
        else if (equals(buf, at, end, "/pipeline")) route = PIPELINE;
        else if (equals(buf, at, end, "/upload")) route = UPLOAD;
        else if (end - at > 6 && equals(buf, at, at + 6, "/json/")) {
            route = JSON;
            jsonCount = (int) number(buf, at + 6, end);
        }
        int i = end;
        if (buf[i] == '?') {
            while (buf[i] != ' ') {
                i++;
                int eq = i;
                while (buf[eq] != '=' && buf[eq] != '&' && buf[eq] != ' ') eq++;
                int valueEnd = eq;
                while (buf[valueEnd] != '&' && buf[valueEnd] != ' ') valueEnd++;
                long v = buf[eq] == '=' ? number(buf, eq + 1, valueEnd) : 0;
                querySum += v;
                if (eq - i == 1 && buf[i] == 'm') jsonM = (int) v;
                i = valueEnd;
            }
        }
        while (buf[i] != '\r') i++;
        return i;
    }

    private void body(byte[] buf, int from, int n) {
        bodyBytes += n;
        if (route != BASELINE) return;
        for (int i = from; i < from + n; i++) {
            byte b = buf[i];
            if (b == '-') bodyNegative = true;
            else if (b >= '0' && b <= '9') bodyNumber = bodyNumber * 10 + (b - '0');
        }
    }

    /** The response body's number for the numeric routes. */
    long answer() {
        if (route == UPLOAD) return bodyBytes;
        return querySum + (bodyNegative ? -bodyNumber : bodyNumber);
    }

    int jsonCount() {
        return jsonCount;
    }

    int jsonM() {
        return jsonM;
    }

    static int indexOf(byte[] buf, int from, int to, byte[] pattern) {
        return indexOf(buf, from, to, pattern, pattern.length);
    }

    /** Index of the first {@code pattern[0, len)} in {@code buf[from, to)}, or -1. */
    static int indexOf(byte[] buf, int from, int to, byte[] pattern, int len) {
        outer:
        for (int i = from; i <= to - len; i++) {
            for (int j = 0; j < len; j++) if (buf[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static long number(byte[] buf, int from, int to) {
        long n = 0;
        boolean negative = false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '-') negative = true;
            else if (b >= '0' && b <= '9') n = n * 10 + (b - '0');
        }
        return negative ? -n : n;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    private static boolean equals(byte[] buf, int from, int to, String s) {
        if (to - from != s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (buf[from + i] != s.charAt(i)) return false;
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] buf, int from, int to, String s) {
        if (to - from < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if ((buf[from + i] | 0x20) != s.charAt(i)) return false;
        return true;
    }

    private static boolean contains(byte[] buf, int from, int to, byte lower) {
        for (int i = from; i < to; i++) if ((buf[i] | 0x20) == lower) return true;
        return false;
    }
}
