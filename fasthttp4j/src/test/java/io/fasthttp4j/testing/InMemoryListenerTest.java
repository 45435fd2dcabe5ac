package io.fasthttp4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ResponseParser;
import io.fasthttp4j.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InMemoryListenerTest {
    /** Reads responses from one stream with our parser, keeping bytes that belong to the next one. */
    private static final class ResponseReader {
        private final InputStream in;
        private final ResponseParser parser = new ResponseParser(HttpLimits.defaults());
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int end;

        ResponseReader(InputStream in) {
            this.in = in;
        }

        Response next() throws IOException {
            Response response = new Response();
            parser.reset();
            while (true) {
                if (pos < end) {
                    pos = parser.parse(buf, pos, end, response);
                    if (parser.isComplete()) break;
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    parser.parseEof(response);
                    break;
                }
                end += n;
            }
            Response copy = new Response();
            response.copyTo(copy);
            return copy;
        }
    }

    @Test
    @Timeout(10)
    void servesRequestsThroughTheRealConnectionLoopWithoutSockets() throws IOException {
        Server server = Server.builder(ctx -> ctx.setBody("in memory " + ctx.path() + " #" + ctx.connRequestNum()))
                .checkedPools(true).build();
        try (var listener = new InMemoryListener(server)) {
            InMemoryConnection conn = listener.dial();
            var out = conn.outputStream();
            var in = conn.inputStream();
            var responses = new ResponseReader(in);
            out.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("in memory /a #1", responses.next().body().toString());
            assertEquals("in memory /b #2", responses.next().body().toString());
            out.write("GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Response last = responses.next();
            assertTrue(last.header().connectionClose());
            assertEquals(-1, in.read(), "server closes after Connection: close");
        } finally {
            assertTrue(server.shutdown(Duration.ofSeconds(5)));
            assertEquals(0, server.contextsInUse());
        }
    }
}
