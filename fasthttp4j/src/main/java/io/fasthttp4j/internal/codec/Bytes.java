package io.fasthttp4j.internal.codec;

import java.nio.charset.StandardCharsets;

/** Byte constants of the HTTP/1.1 wire format, named for what they contain. */
final class Bytes {
    private Bytes() {
    }

    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] COLON_SP = {':', ' '};
    static final byte[] HTTP_1_1_SP = ascii("HTTP/1.1 ");
    static final byte[] DATE_PREFIX = ascii("Date: ");
    static final byte[] CONTENT_LENGTH_PREFIX = ascii("Content-Length: ");
    static final byte[] TRANSFER_ENCODING_CHUNKED_LINE = ascii("Transfer-Encoding: chunked\r\n");
    static final byte[] CONNECTION_CLOSE_LINE = ascii("Connection: close\r\n");
    static final byte[] CONNECTION_KEEP_ALIVE_LINE = ascii("Connection: keep-alive\r\n");
    static final byte[] DEFAULT_CONTENT_TYPE_LINE = ascii("Content-Type: text/plain; charset=utf-8\r\n");
    static final byte[] LAST_CHUNK = ascii("0\r\n");

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** True for the framing fields a writer computes itself: Content-Length, Transfer-Encoding, Connection. */
    static boolean isFramingField(io.fasthttp4j.ByteView name) {
        return switch (name.length()) {
            case 14 -> name.equalsIgnoreCase("content-length");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 10 -> name.equalsIgnoreCase("connection");
            default -> false;
        };
    }
}
