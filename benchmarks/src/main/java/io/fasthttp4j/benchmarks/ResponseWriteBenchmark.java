package io.fasthttp4j.benchmarks;

import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ResponseWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building and writing one response ({@link SampleResponse}: 200, Server, Date, Content-Type
 * application/json, Content-Length, Set-Cookie, a 27-byte JSON body): our {@link ResponseWriter}
 * against Netty 4.2's {@link HttpResponseEncoder}. Every side builds the response afresh each op, as a
 * handler does, and writes the same number of bytes (checked in setup); each returns that number.
 *
 * <ul>
 *   <li>{@link #fasthttp4j}: reset the reused {@link Response}, set its fields and body, write it
 *       into a reused output buffer. Date comes from the writer's once-a-second cache.
 *   <li>{@link #netty}: a new {@link DefaultFullHttpResponse} whose content is a retained duplicate
 *       of a pre-encoded body, fields set from {@link AsciiString} constants (Date formatted once in
 *       setup, as a server caches it), written to an {@link EmbeddedChannel} holding only the encoder;
 *       the encoded buffers are read back and released. Includes the pipeline's work (the write
 *       promise, the outbound queue) and the encoder's buffer from the channel's allocator.
 *   <li>{@link #nettyEncodeOnly}: the same response, serialized with the encoder's own protected
 *       {@code encodeInitialLine}/{@code encodeHeaders} plus the body into a reused heap buffer: the
 *       encoding work and nothing else. A lower bound for Netty; no server runs it so.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class ResponseWriteBenchmark {
    private static final byte[] BODY = SampleResponse.BODY.getBytes(StandardCharsets.UTF_8);

    private final Response response = new Response();
    private final ResponseWriter writer = new ResponseWriter(SampleResponse.SERVER);
    private final io.fasthttp4j.pool.ByteBuf out = new io.fasthttp4j.pool.ByteBuf(1024);

    private static final AsciiString SERVER = AsciiString.cached(SampleResponse.SERVER);
    private static final AsciiString CONTENT_TYPE = AsciiString.cached(SampleResponse.CONTENT_TYPE);
    private static final AsciiString SET_COOKIE = AsciiString.cached(SampleResponse.SET_COOKIE);
    private AsciiString date;
    private ByteBuf nettyBody;
    private EmbeddedChannel channel;
    private final DirectEncoder encoder = new DirectEncoder();
    private final ByteBuf nettyOut = Unpooled.buffer(1024);

    @Setup
    public void setUp() throws Exception {
        date = new AsciiString(DateFormatter.format(new Date()));
        nettyBody = Unpooled.wrappedBuffer(BODY);
        channel = new EmbeddedChannel(new HttpResponseEncoder());
        for (int round = 0; round < 2; round++) {   // twice: a second op must see what the first did
            int ours = fasthttp4j(), embedded = netty(), direct = nettyEncodeOnly();
            if (ours != embedded || ours != direct) {
                throw new IllegalStateException("sides wrote different lengths: fasthttp4j=" + ours
                        + " netty=" + embedded + " nettyEncodeOnly=" + direct + "\n" + out + "\n---\n"
                        + nettyOut.toString(StandardCharsets.ISO_8859_1));
            }
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        nettyBody.release();
        nettyOut.release();
    }

    @Benchmark
    public int fasthttp4j() {
        response.reset();
        response.setContentType(SampleResponse.CONTENT_TYPE);
        response.header().set("Set-Cookie", SampleResponse.SET_COOKIE);
        response.setBody(BODY);
        out.reset();
        writer.write(response, false, out);
        return out.length();
    }

    @Benchmark
    public int netty() {
        channel.writeOutbound(nettyResponse());
        int n = 0;
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            n += buf.readableBytes();
            buf.release();
        }
        return n;
    }

    @Benchmark
    public int nettyEncodeOnly() throws Exception {
        FullHttpResponse r = nettyResponse();
        nettyOut.clear();
        encoder.encodeFull(r, nettyOut);
        r.release();
        return nettyOut.readableBytes();
    }

    private FullHttpResponse nettyResponse() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, nettyBody.retainedDuplicate());
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.SERVER, SERVER);
        h.set(HttpHeaderNames.DATE, date);
        h.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        h.set(HttpHeaderNames.SET_COOKIE, SET_COOKIE);
        return r;
    }

    /** Netty's encoder without a pipeline: status line, fields, CRLF, body, into the caller's buffer. */
    static final class DirectEncoder extends HttpResponseEncoder {
        private static final int CRLF = ('\r' << 8) | '\n';

        void encodeFull(FullHttpResponse r, ByteBuf out) throws Exception {
            encodeInitialLine(out, r);
            encodeHeaders(r.headers(), out);
            ByteBufUtil.writeShortBE(out, CRLF);
            ByteBuf body = r.content();
            out.writeBytes(body, body.readerIndex(), body.readableBytes());
        }
    }
}
