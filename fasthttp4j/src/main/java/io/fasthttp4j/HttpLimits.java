package io.fasthttp4j;

/**
 * The limits the parser enforces, immutable; build with {@link #builder()}. Each limit protects the
 * reader from a peer that would make it buffer or work without bound. Past a limit the parser throws
 * {@link BadRequestException} with the status named below, and the connection is closed.
 */
public final class HttpLimits {
    /** Default of {@link Builder#maxRequestLineBytes(int)}. */
    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;
    /** Default of {@link Builder#maxHeaderBytes(int)}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    /** Default of {@link Builder#maxHeaderCount(int)}. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** Default of {@link Builder#maxBodyBytes(long)}: 4 MiB, as fasthttp's DefaultMaxRequestBodySize. */
    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    /** Default of {@link Builder#maxChunkExtensionBytes(int)}. */
    public static final int DEFAULT_MAX_CHUNK_EXTENSION_BYTES = 256;
    /** Default of {@link Builder#maxTrailerBytes(int)}. */
    public static final int DEFAULT_MAX_TRAILER_BYTES = 4096;

    private static final HttpLimits DEFAULTS = builder().build();

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final long maxBodyBytes;
    private final int maxChunkExtensionBytes;
    private final int maxTrailerBytes;

    private HttpLimits(Builder b) {
        maxRequestLineBytes = b.maxRequestLineBytes;
        maxHeaderBytes = b.maxHeaderBytes;
        maxHeaderCount = b.maxHeaderCount;
        maxBodyBytes = b.maxBodyBytes;
        maxChunkExtensionBytes = b.maxChunkExtensionBytes;
        maxTrailerBytes = b.maxTrailerBytes;
    }

    /** The limits with every default. */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from these limits. */
    public Builder toBuilder() {
        return new Builder()
                .maxRequestLineBytes(maxRequestLineBytes)
                .maxHeaderBytes(maxHeaderBytes)
                .maxHeaderCount(maxHeaderCount)
                .maxBodyBytes(maxBodyBytes)
                .maxChunkExtensionBytes(maxChunkExtensionBytes)
                .maxTrailerBytes(maxTrailerBytes);
    }

    public int maxRequestLineBytes() {
        return maxRequestLineBytes;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public int maxChunkExtensionBytes() {
        return maxChunkExtensionBytes;
    }

    public int maxTrailerBytes() {
        return maxTrailerBytes;
    }

    @Override
    public String toString() {
        return "HttpLimits[maxRequestLineBytes=" + maxRequestLineBytes + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxHeaderCount=" + maxHeaderCount + ", maxBodyBytes=" + maxBodyBytes
                + ", maxChunkExtensionBytes=" + maxChunkExtensionBytes + ", maxTrailerBytes=" + maxTrailerBytes + "]";
    }

    /** Collects limits; every setter rejects values below 1 with {@link IllegalArgumentException}. */
    public static final class Builder {
        private int maxRequestLineBytes = DEFAULT_MAX_REQUEST_LINE_BYTES;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxHeaderCount = DEFAULT_MAX_HEADER_COUNT;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxChunkExtensionBytes = DEFAULT_MAX_CHUNK_EXTENSION_BYTES;
        private int maxTrailerBytes = DEFAULT_MAX_TRAILER_BYTES;

        private Builder() {
        }

        /**
         * Longest request line (or status line), CRLF included. Default {@value #DEFAULT_MAX_REQUEST_LINE_BYTES}.
         * A longer one gets 414 URI Too Long and the connection is closed.
         */
        public Builder maxRequestLineBytes(int bytes) {
            maxRequestLineBytes = positive("maxRequestLineBytes", bytes);
            return this;
        }

        /**
         * Largest header section, request line and final CRLF included. Default
         * {@value #DEFAULT_MAX_HEADER_BYTES}. A larger one gets 431 and the connection is closed:
         * reading on would let one client make us buffer without bound.
         */
        public Builder maxHeaderBytes(int bytes) {
            maxHeaderBytes = positive("maxHeaderBytes", bytes);
            return this;
        }

        /**
         * Most header fields in one message. Default {@value #DEFAULT_MAX_HEADER_COUNT}. More get 431
         * and the connection is closed: many tiny fields cost far more to index than their bytes suggest.
         */
        public Builder maxHeaderCount(int count) {
            maxHeaderCount = positive("maxHeaderCount", count);
            return this;
        }

        /**
         * Largest body, decoded (chunk framing not counted). Default {@value #DEFAULT_MAX_BODY_BYTES}.
         * A larger declared Content-Length, or a chunked body that grows past it, gets 413 and the
         * connection is closed.
         */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + bytes);
            maxBodyBytes = bytes;
            return this;
        }

        /**
         * Longest chunk extension ({@code ;name=value...} after a chunk size), per chunk. Default
         * {@value #DEFAULT_MAX_CHUNK_EXTENSION_BYTES}. A longer one gets 400: extensions carry nothing
         * we use, and unbounded ones are a known way to make servers spin (CVE-2023-44487's cousins).
         */
        public Builder maxChunkExtensionBytes(int bytes) {
            maxChunkExtensionBytes = positive("maxChunkExtensionBytes", bytes);
            return this;
        }

        /**
         * Largest trailer section of a chunked body, final CRLF included. Default
         * {@value #DEFAULT_MAX_TRAILER_BYTES}. A larger one gets 431 and the connection is closed.
         */
        public Builder maxTrailerBytes(int bytes) {
            maxTrailerBytes = positive("maxTrailerBytes", bytes);
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            return value;
        }
    }
}
