package io.fasthttp4j.server;

import io.fasthttp4j.RequestHeader;

/**
 * Decides whether a request with {@code Expect: 100-continue} may send its body: true sends
 * "100 Continue" and reads the body; false answers 417 Expectation Failed and closes the connection.
 */
@FunctionalInterface
public interface ContinueHandler {
    boolean accept(RequestHeader header);
}
