package io.fasthttp4j.server;

import io.fasthttp4j.RequestHeader;

/**
 * Called once a request's header is parsed and before its body is read (fasthttp's HeaderReceived):
 * change {@code config} to give this request another body limit or other timeouts.
 */
@FunctionalInterface
public interface HeaderReceived {
    void onHeader(RequestHeader header, RequestConfig config);
}
