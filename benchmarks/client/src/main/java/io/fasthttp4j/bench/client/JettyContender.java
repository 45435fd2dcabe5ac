package io.fasthttp4j.bench.client;

import java.net.URI;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * Jetty 12's {@code HttpClient} over HTTP/1.1 with its defaults (a selector and a
 * {@code QueuedThreadPool}), at most {@code maxConns} connections to the server; blocking
 * {@code send()}. A request is built per call: Jetty's requests are single-use.
 */
final class JettyContender implements Contender {
    private final Target target;
    private final HttpClient client = new HttpClient();
    private final URI uri;

    JettyContender(Target target) throws Exception {
        this.target = target;
        this.uri = URI.create(target.url());
        client.setMaxConnectionsPerDestination(target.maxConns());
        client.start();
    }

    @Override
    public Caller newCaller() {
        return () -> {
            ContentResponse response = client.newRequest(uri).send();
            target.check(response.getStatus(), response.getContent());
        };
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
