package io.fasthttp4j;

import java.nio.charset.StandardCharsets;

/** Lower-case names of the fields the headers recognise, for {@link ByteView#equalsToken}. */
final class FieldNames {
    private FieldNames() {
    }

    static final byte[] HOST = lower("host");
    static final byte[] DATE = lower("date");
    static final byte[] COOKIE = lower("cookie");
    static final byte[] EXPECT = lower("expect");
    static final byte[] SERVER = lower("server");
    static final byte[] CONNECTION = lower("connection");
    static final byte[] USER_AGENT = lower("user-agent");
    static final byte[] CONTENT_TYPE = lower("content-type");
    static final byte[] CONTENT_LENGTH = lower("content-length");
    static final byte[] TRANSFER_ENCODING = lower("transfer-encoding");

    private static byte[] lower(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
