package io.fasthttp4j.bench.client;

import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp 5, blocking {@code execute}, HTTP/1.1, a connection pool keeping up to {@code maxConns}
 * idle connections (its dispatcher limits only asynchronous calls). Requests are immutable: one is
 * built and shared.
 */
final class OkHttpContender implements Contender {
    private final Target target;
    private final OkHttpClient client;
    private final Request request;

    OkHttpContender(Target target) {
        this.target = target;
        this.client = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(target.maxConns(), 5, TimeUnit.MINUTES))
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
        this.request = new Request.Builder().url(target.url()).build();
    }

    @Override
    public Caller newCaller() {
        return () -> {
            try (Response response = client.newCall(request).execute()) {
                target.check(response.code(), response.body().bytes());
            }
        };
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
