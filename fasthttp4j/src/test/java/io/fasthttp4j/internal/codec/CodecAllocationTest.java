package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.pool.ByteBuf;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The codec's promise: parsing a typical request and writing its response allocate nothing once the
 * reused objects have grown to size. Measured on this thread with the JVM's per-thread counter.
 */
class CodecAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final RequestParser parser = new RequestParser(HttpLimits.defaults());
    private final Request request = new Request();
    private final Response response = new Response();
    private final ResponseWriter writer = new ResponseWriter("fasthttp4j");
    private final ByteBuf out = new ByteBuf(1024);

    private int serveOnce(byte[] input) {
        parser.reset();
        request.reset();
        response.reset();
        out.reset();
        int end = parser.parse(input, 0, input.length, request);
        response.setContentType("application/json");
        response.header().set("X-Request-Host", "ok");
        response.setBody("{\"message\":\"Hello, World!\"}");
        writer.write(response, request.header().isHead(), out);
        return end + out.length() + (parser.isComplete() ? 1 : 0);
    }

    /** Bytes allocated by {@code iterations} calls, the minimum of a few measurements (JIT noise). */
    private long allocatedBytes(byte[] input, int iterations) {
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long sink = 0;
            for (int i = 0; i < iterations; i++) sink += serveOnce(input);
            long after = THREADS.getCurrentThreadAllocatedBytes();
            assertTrue(sink > 0);
            best = Math.min(best, after - before);
        }
        return best;
    }

    @Test
    void parsingABrowserGetAndWritingItsResponseAllocatesNothing() {
        byte[] input = SampleRequests.bytes(SampleRequests.BROWSER_GET);
        for (int i = 0; i < 30_000; i++) serveOnce(input);   // warm-up: JIT and buffer growth
        assertTrue(parser.isComplete());
        assertEquals(10, request.header().fieldCount());
        assertEquals(0, allocatedBytes(input, 20_000), "bytes allocated by 20,000 parse+write cycles");
    }

    @Test
    void parsingAChunkedPostAllocatesNothing() {
        byte[] input = SampleRequests.bytes(SampleRequests.CHUNKED_POST);
        for (int i = 0; i < 30_000; i++) serveOnce(input);
        assertEquals("{\"a\":1,\"b\":42}", request.body().toString());
        assertEquals(0, allocatedBytes(input, 20_000), "bytes allocated by 20,000 parse+write cycles");
    }
}
