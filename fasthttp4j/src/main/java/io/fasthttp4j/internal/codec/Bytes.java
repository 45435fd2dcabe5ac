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

    /** True for the framing fields a writer computes from the body itself: Content-Length, Transfer-Encoding. */
    private static final byte[] CONTENT_LENGTH_LOWER = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING_LOWER = ascii("transfer-encoding");
    private static final byte[] CONNECTION_LOWER = ascii("connection");

    static boolean isFramingField(io.fasthttp4j.ByteView name) {
        return switch (name.length()) {
            case 14 -> Ascii.equalsTokenIgnoreCase(name.array(), name.offset(), CONTENT_LENGTH_LOWER);
            case 17 -> Ascii.equalsTokenIgnoreCase(name.array(), name.offset(), TRANSFER_ENCODING_LOWER);
            default -> false;
        };
    }

    /**
     * True for a Connection field that says only "close" or "keep-alive": the response writer writes
     * those from the header's flags. Other options ("Upgrade") are the handler's and are written as set.
     */
    static boolean isPlainConnectionField(io.fasthttp4j.ByteView name, io.fasthttp4j.ByteView value) {
        return name.length() == 10 && Ascii.equalsTokenIgnoreCase(name.array(), name.offset(), CONNECTION_LOWER)
                && (value.equalsIgnoreCase("close") || value.equalsIgnoreCase("keep-alive"));
    }
}
