package io.fasthttp4j.bench.client;

import io.fasthttp4j.ByteView;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.client.Client;
import io.fasthttp4j.client.HostClient;
import io.fasthttp4j.client.PipelineClient;
import java.io.IOException;

/**
 * Our clients, used as the Javadoc of {@link HostClient} shows: each caller acquires one request and
 * one response and reuses them for every call. Any client with {@code doRequest(Request, Response)}
 * fits: {@link #hostClient} is one line of setup.
 */
final class Fasthttp4jContender implements Contender {
    /** {@code doRequest} of a fasthttp4j client. */
    @FunctionalInterface
    interface DoRequest {
        void doRequest(Request request, Response response) throws IOException;
    }

    private final Target target;
    private final DoRequest client;
    private final AutoCloseable closer;

    private Fasthttp4jContender(Target target, DoRequest client, AutoCloseable closer) {
        this.target = target;
        this.client = client;
        this.closer = closer;
    }

    static Contender hostClient(Target target) {
        HostClient client = HostClient.builder(target.addr()).maxConns(target.maxConns()).build();
        return new Fasthttp4jContender(target, client::doRequest, client);
    }

    /**
     * PipelineClient: the same callers, their requests pipelined over 2 connections (its point is few
     * connections; fasthttp's default is 1), so the server answers batches.
     */
    static Contender pipelineClient(Target target) {
        PipelineClient client = PipelineClient.builder(target.addr()).maxConns(2).build();
        return new Fasthttp4jContender(target, client::doRequest, client);
    }

    @Override
    public Caller newCaller() {
        Request request = Client.acquireRequest();
        Response response = Client.acquireResponse();
        request.header().setRequestUri(target.path());
        return new Caller() {
            @Override
            public void call() throws IOException {
                client.doRequest(request, response);
                ByteView body = response.body();
                target.check(response.statusCode(), body.array(), body.offset(), body.length());
            }

            @Override
            public void close() {
                Client.releaseRequest(request);
                Client.releaseResponse(response);
            }
        };
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
