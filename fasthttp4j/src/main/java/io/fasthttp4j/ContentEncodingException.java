package io.fasthttp4j;

import java.io.IOException;

/**
 * A body could not be decoded from its Content-Encoding: the coding is not supported, the compressed
 * bytes are corrupt or cut short, or the decoded body would exceed the limit given (a decompression
 * bomb). The message names the coding and the cause or limit:
 * {@code gzip body decodes to more than maxBytes=1048576}.
 */
public final class ContentEncodingException extends IOException {
    private static final long serialVersionUID = 1L;

    public ContentEncodingException(String message) {
        super(message);
    }

    public ContentEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
