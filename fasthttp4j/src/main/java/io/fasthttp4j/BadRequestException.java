package io.fasthttp4j;

/**
 * Input that breaks HTTP/1.1's rules or one of our limits. Carries the status to answer with
 * (400, 413, 414, 431, 501, 505...) and a message that names the field and, for a limit, its value:
 * {@code header section exceeds maxHeaderBytes=8192}. After one, the connection is closed.
 *
 * <p>Built without a stack trace: hostile clients can make us throw many of these, and the message
 * says everything there is to say.
 */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    private BadRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** Returns an exception with status {@code status} and the message {@code String.format(format, args)}. */
    public static BadRequestException of(int status, String format, Object... args) {
        return new BadRequestException(status, args.length == 0 ? format : String.format(format, args));
    }

    /** The status code to answer with. */
    public int status() {
        return status;
    }
}
