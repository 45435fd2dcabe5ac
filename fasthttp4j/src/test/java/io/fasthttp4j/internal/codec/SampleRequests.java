package io.fasthttp4j.internal.codec;

import java.nio.charset.StandardCharsets;

/** Typical requests, as a browser or a load generator sends them. */
final class SampleRequests {
    private SampleRequests() {
    }

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

    static byte[] bytes(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }
}
