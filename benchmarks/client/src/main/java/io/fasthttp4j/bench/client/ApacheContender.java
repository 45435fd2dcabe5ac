package io.fasthttp4j.bench.client;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;

/**
 * Apache HttpClient 5, classic (blocking) API, with a pooling connection manager of {@code maxConns}
 * connections. A new {@code HttpGet} per call, as its documentation writes it (the request object
 * is mutable); the response handler reads the body and returns the connection to the pool.
 */
final class ApacheContender implements Contender {
    private final Target target;
    private final CloseableHttpClient client;

    ApacheContender(Target target) {
        this.target = target;
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(target.maxConns())
                .setMaxConnPerRoute(target.maxConns())
                .build();
        this.client = HttpClients.custom().setConnectionManager(connections).build();
    }

    @Override
    public Caller newCaller() {
        String url = target.url();
        return () -> client.execute(new HttpGet(url), response -> {
            target.check(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
            return null;
        });
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }
}
