package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fasthttp4j.Response;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The writer copies the Content-Type line that setContentType rendered when it is the response's only
 * field; every change to the fields after that must be written as it is, never the stale line.
 */
class ResponseWriterFieldsTest {
    private final ResponseWriter writer = new ResponseWriter("srv");
    private final Response response = new Response();

    /** The written header section without its Date line (which changes), and the body. */
    private String written() {
        ByteBuf out = new ByteBuf(256);
        writer.write(response, false, out);
        String s = new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII);
        return s.replaceFirst("Date: [^\r]*\r\n", "");
    }

    @Test
    void theContentTypeSetAloneIsWrittenOnce() {
        response.setContentType("text/plain");
        response.setBody("ok");
        assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok", written());
    }

    @Test
    void everyBodyLengthIsFramedRight() {
        for (int n : new int[] {0, 1, 9, 10, 16, 17, 99, 100, 999, 1000, 12345, 100000}) {
            response.reset();
            response.setContentType("text/plain");
            String body = "x".repeat(n);
            response.setBody(body);
            assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: " + n + "\r\nContent-Type: text/plain\r\n\r\n" + body, written());
        }
    }

    @Test
    void aContentTypeReplacedAfterwardsIsTheOneWritten() {
        response.setContentType("text/plain");
        response.header().set("Content-Type", "application/json");
        assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: 0\r\nContent-Type: application/json\r\n\r\n", written());
        response.reset();
        response.setContentType("text/plain");
        response.header().fields().set("content-type", "text/html");   // through the field list itself
        assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: 0\r\nContent-Type: text/html\r\n\r\n", written());
    }

    @Test
    void otherFieldsAreWrittenWithIt() {
        response.setContentType("text/plain");
        response.header().add("X-A", "1");
        assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: 0\r\nContent-Type: text/plain\r\nX-A: 1\r\n\r\n", written());
    }

    @Test
    void aLineFromAnEarlierResponseIsNeverWritten() {
        response.setContentType("text/csv");
        written();
        response.reset();
        response.header().add("X-Only", "v");
        assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 0\r\nX-Only: v\r\n\r\n", written());
        response.reset();
        response.setContentType("text/csv");
        response.header().fields().removeAt(0);
        response.header().fields().add("X-B", "w");   // one field again, but not the one setContentType added
        String s = written();
        assertEquals(false, s.contains("text/csv"), s);
        assertEquals(true, s.endsWith("X-B: w\r\n\r\n"), s);
    }

    @Test
    void alternatingContentTypesAreEachWrittenRight() {
        for (int i = 0; i < 4; i++) {
            String type = i % 2 == 0 ? "text/plain" : "application/json";
            response.reset();
            response.setContentType(type);
            assertEquals("HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: 0\r\nContent-Type: " + type + "\r\n\r\n", written());
        }
    }
}
