package io.fasthttp4j.bench.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The JDK's {@code java.net.http.HttpClient}, HTTP/1.1 (its default, HTTP/2, would offer an h2c
 * upgrade on the first request), blocking {@code send} with a byte-array body. Its requests are
 * immutable: one is built and shared. It has no cap on HTTP/1.1 connections; with
 * {@code maxConns} callers it opens at most that many.
 */
final class JdkContender implements Contender {
    private final Target target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest request;

    JdkContender(Target target) {
        this.target = target;
        this.request = HttpRequest.newBuilder(URI.create(target.url())).GET().build();
    }

    @Override
    public Caller newCaller() {
        return () -> {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            target.check(response.statusCode(), response.body());
        };
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
