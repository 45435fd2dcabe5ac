package io.fasthttp4j.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Typical requests, as a browser or a load generator sends them. A copy of the library's test
 * samples (fasthttp4j/src/test/.../codec/SampleRequests.java): keep the two in step, so that the
 * allocation test and these benchmarks speak of the same bytes.
 */
final class SampleRequests {
    private SampleRequests() {
    }

    /** A browser's GET: request line with a query, 10 header fields, no body. */
    static final String BROWSER_GET = """
            GET /products/shoes?color=red&size=42 HTTP/1.1\r
            Host: shop.example.com\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-US,en;q=0.5\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Referer: https://shop.example.com/products\r
            Connection: keep-alive\r
            Cookie: session=8f2a6c1e9b; theme=dark\r
            Upgrade-Insecure-Requests: 1\r
            Sec-Fetch-Dest: document\r
            \r
            """;

    /** A POST with a 14-byte JSON body in two chunks and the last chunk: 3 header fields. */
    static final String CHUNKED_POST = """
            POST /upload HTTP/1.1\r
            Host: api.example.com\r
            Content-Type: application/json\r
            Transfer-Encoding: chunked\r
            \r
            b\r
            {"a":1,"b":\r
            3\r
            42}\r
            0\r
            \r
            """;

    /** The bytes of the sample a benchmark's {@code shape} parameter names. */
    static byte[] forShape(String shape) {
        return switch (shape) {
            case "browser" -> bytes(BROWSER_GET);
            case "chunkedPost" -> bytes(CHUNKED_POST);
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
    }

    static byte[] bytes(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }
}
