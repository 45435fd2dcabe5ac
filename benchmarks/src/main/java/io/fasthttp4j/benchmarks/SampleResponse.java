package io.fasthttp4j.benchmarks;

/**
 * The response every benchmark writes: 200, a JSON body, one Set-Cookie-like field. Both sides also
 * write Server, Date and Content-Length, so their bytes on the wire have the same length (checked in
 * each benchmark's setup).
 */
final class SampleResponse {
    private SampleResponse() {
    }

    static final String SERVER = "fasthttp4j";
    static final String CONTENT_TYPE = "application/json";
    static final String SET_COOKIE = "session=8f2a6c1e9b; Path=/; HttpOnly";
    static final String BODY = "{\"message\":\"Hello, World!\"}";
}
