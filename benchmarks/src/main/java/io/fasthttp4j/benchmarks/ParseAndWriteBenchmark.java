package io.fasthttp4j.benchmarks;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.RequestParser;
import io.fasthttp4j.internal.codec.ResponseWriter;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's codec work for one request, no I/O: reset the reused request, response, parser and
 * output buffer, parse the request, build the {@link SampleResponse}, write it. Ours only (Netty's two
 * halves are in {@link RequestParseBenchmark} and {@link ResponseWriteBenchmark}); the allocation
 * target is 0 B/op, the same promise CodecAllocationTest checks in the library.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class ParseAndWriteBenchmark {
    private static final byte[] BODY = SampleResponse.BODY.getBytes(StandardCharsets.UTF_8);

    @Param({"browser", "chunkedPost"})
    public String shape;

    private byte[] input;
    private final RequestParser parser = new RequestParser(HttpLimits.defaults());
    private final Request request = new Request();
    private final Response response = new Response();
    private final ResponseWriter writer = new ResponseWriter(SampleResponse.SERVER);
    private final ByteBuf out = new ByteBuf(1024);

    @Setup
    public void setUp() {
        input = SampleRequests.forShape(shape);
        fasthttp4j();
        if (!parser.isComplete()) throw new IllegalStateException("sample " + shape + " did not parse completely");
    }

    @Benchmark
    public int fasthttp4j() {
        parser.reset();
        request.reset();
        response.reset();
        out.reset();
        int end = parser.parse(input, 0, input.length, request);
        response.setContentType(SampleResponse.CONTENT_TYPE);
        response.header().set("Set-Cookie", SampleResponse.SET_COOKIE);
        response.setBody(BODY);
        writer.write(response, request.header().isHead(), out);
        return end + out.length();
    }
}
