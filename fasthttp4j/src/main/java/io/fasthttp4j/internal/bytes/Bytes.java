package io.fasthttp4j.internal.bytes;

import io.fasthttp4j.internal.bytes.Ascii;
import java.nio.charset.StandardCharsets;

/** Byte constants of the HTTP/1.1 wire format, named for what they contain. */
public final class Bytes {
    private Bytes() {
    }

    public static final byte[] CRLF = {'\r', '\n'};
    public static final byte[] COLON_SP = {':', ' '};
    public static final byte[] HTTP_1_1_SP = ascii("HTTP/1.1 ");
    public static final byte[] DATE_PREFIX = ascii("Date: ");
    public static final byte[] CONTENT_LENGTH_PREFIX = ascii("Content-Length: ");
    public static final byte[] TRANSFER_ENCODING_CHUNKED_LINE = ascii("Transfer-Encoding: chunked\r\n");
    public static final byte[] CONNECTION_CLOSE_LINE = ascii("Connection: close\r\n");
    public static final byte[] CONNECTION_KEEP_ALIVE_LINE = ascii("Connection: keep-alive\r\n");
    public static final byte[] DEFAULT_CONTENT_TYPE_LINE = ascii("Content-Type: text/plain; charset=utf-8\r\n");
    public static final byte[] LAST_CHUNK = ascii("0\r\n");

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** True for the framing fields a writer computes from the body itself: Content-Length, Transfer-Encoding. */
    private static final byte[] CONTENT_LENGTH_LOWER = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING_LOWER = ascii("transfer-encoding");
    private static final byte[] CONNECTION_LOWER = ascii("connection");

    public static boolean isFramingField(io.fasthttp4j.ByteView name) {
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
    public static boolean isPlainConnectionField(io.fasthttp4j.ByteView name, io.fasthttp4j.ByteView value) {
        return name.length() == 10 && Ascii.equalsTokenIgnoreCase(name.array(), name.offset(), CONNECTION_LOWER)
                && (value.equalsIgnoreCase("close") || value.equalsIgnoreCase("keep-alive"));
    }
}
