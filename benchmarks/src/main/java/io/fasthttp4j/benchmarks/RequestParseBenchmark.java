package io.fasthttp4j.benchmarks;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.internal.codec.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing one whole request that arrived in one read: our {@link RequestParser} against Netty 4.2's
 * {@link HttpRequestDecoder}, on the same bytes. Each benchmark returns the number of header fields
 * plus the body bytes it decoded (the same number on every side, checked in setup), so no side can be
 * optimized away.
 *
 * <ul>
 *   <li>{@link #fasthttp4j}: reset the parser and the request, parse. The fields are views into the
 *       input; a chunked body is decoded into the request's reused body buffer.
 *   <li>{@link #netty}: the decoder as a server runs it, in a channel pipeline: an
 *       {@link EmbeddedChannel} holding the decoder and nothing else; each op writes a retained
 *       duplicate of an unpooled heap buffer inbound, reads every decoded message back and releases it.
 *       Includes the pipeline's work (fireChannelRead per message, the channel's inbound queue,
 *       ByteToMessageDecoder's cumulation bookkeeping): what a Netty server pays per request.
 *   <li>{@link #nettyDecodeOnly}: the decoder's own work and nothing else: its protected
 *       {@code decode} called directly in the loop ByteToMessageDecoder would run, on one reused input
 *       buffer, messages collected into a reused list. A lower bound for Netty; no server runs it so.
 * </ul>
 * Netty's figures include its message objects (request, headers, method/URI Strings, content
 * holders): those are its API, as views into the input are ours.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class RequestParseBenchmark {
    @Param({"browser", "chunkedPost"})
    public String shape;

    private byte[] input;

    private final RequestParser parser = new RequestParser(HttpLimits.defaults());
    private final Request request = new Request();

    private ByteBuf channelInput;   // never read itself: each op writes a duplicate
    private EmbeddedChannel channel;
    private ByteBuf decoderInput;   // read by the decoder, rewound each op
    private final DirectDecoder decoder = new DirectDecoder();
    private final List<Object> decoded = new ArrayList<>();

    @Setup
    public void setUp() throws Exception {
        input = SampleRequests.forShape(shape);
        channelInput = Unpooled.wrappedBuffer(input);
        decoderInput = Unpooled.wrappedBuffer(input);
        channel = new EmbeddedChannel(new HttpRequestDecoder());
        for (int round = 0; round < 2; round++) {   // twice: a second op must see what the first did
            int ours = fasthttp4j(), embedded = netty(), direct = nettyDecodeOnly();
            if (!parser.isComplete() || ours != embedded || ours != direct) {
                throw new IllegalStateException("sides disagree on " + shape + ": fasthttp4j=" + ours
                        + " netty=" + embedded + " nettyDecodeOnly=" + direct);
            }
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        channelInput.release();
        decoderInput.release();
    }

    @Benchmark
    public int fasthttp4j() {
        parser.reset();
        request.reset();
        int end = parser.parse(input, 0, input.length, request);
        return request.header().fieldCount() + request.body().length() + (end - input.length);
    }

    @Benchmark
    public int netty() {
        channel.writeInbound(channelInput.retainedDuplicate());
        int n = 0;
        for (Object msg; (msg = channel.readInbound()) != null; ) n += consume(msg);
        return n;
    }

    @Benchmark
    public int nettyDecodeOnly() throws Exception {
        decoderInput.readerIndex(0);
        decoder.decodeAll(decoderInput, decoded);
        int n = -decoderInput.readableBytes();
        for (int i = 0; i < decoded.size(); i++) n += consume(decoded.get(i));
        decoded.clear();
        return n;
    }

    /** Header count of a request, byte count of a content; releases {@code msg}. */
    private static int consume(Object msg) {
        int n = 0;
        if (!((HttpObject) msg).decoderResult().isSuccess()) throw new IllegalStateException("netty rejected the sample");
        if (msg instanceof HttpRequest r) n += r.headers().size();
        if (msg instanceof HttpContent c) n += c.content().readableBytes();
        ReferenceCountUtil.release(msg);
        return n;
    }

    /** Netty's decoder driven without a pipeline. Its {@code decode} does not use the context (4.2.x). */
    static final class DirectDecoder extends HttpRequestDecoder {
        /** What ByteToMessageDecoder.callDecode does: decode until no input is consumed and no message comes out. */
        void decodeAll(ByteBuf in, List<Object> out) throws Exception {
            while (in.isReadable()) {
                int readable = in.readableBytes(), messages = out.size();
                decode(null, in, out);
                if (in.readableBytes() == readable && out.size() == messages) return;
            }
        }
    }
}
