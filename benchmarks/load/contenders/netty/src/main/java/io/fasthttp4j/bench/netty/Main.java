package io.fasthttp4j.bench.netty;

import io.fasthttp4j.bench.common.AllocProbe;
import io.fasthttp4j.bench.common.HttpDate;
import io.fasthttp4j.bench.common.JsonItems;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.io.File;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Netty 4.2 in its fast configuration: native epoll, the pooled allocator, one event loop per CPU,
 * HttpServerCodec + HttpObjectAggregator(64 MB), responses written per request and flushed once per
 * read (channelReadComplete). {@code start.sh PORT}; for the TLS profiles an SslHandler in front, see
 * {@link #main}.
 */
public final class Main {
    private Main() {
    }

    // Spelled as the other contenders write them; Netty's HttpHeaderNames are lower case.
    static final AsciiString SERVER = AsciiString.cached("Server");
    static final AsciiString DATE = AsciiString.cached("Date");
    static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString BENCH = AsciiString.cached("bench");
    static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    static final AsciiString CLOSE = AsciiString.cached("close");
    static final byte[] OK = {'o', 'k'};

    /** Answers one aggregated request. Stateless: one instance for every channel. */
    @ChannelHandler.Sharable
    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            FullHttpResponse resp;
            if (path.equals("/baseline11")) {
                resp = text(ctx, Long.toString(baseline(req)));
            } else if (path.equals("/pipeline")) {
                resp = text(ctx, OK);
            } else if (path.equals("/upload")) {
                resp = text(ctx, Integer.toString(req.content().readableBytes()));
            } else {
                int count = JsonItems.countFromPath(path);
                if (count < 0) {
                    resp = response(ctx, HttpResponseStatus.NOT_FOUND, ctx.alloc().buffer(0), TEXT_PLAIN);
                } else {
                    ByteBuf body = ctx.alloc().buffer(4096);
                    JsonItems.write(count, intParam(uri, "m", 1), new ByteBufOutputStream(body));
                    resp = response(ctx, HttpResponseStatus.OK, body, APPLICATION_JSON);
                }
            }
            if (HttpUtil.isKeepAlive(req)) {
                ctx.write(resp, ctx.voidPromise());
            } else {
                resp.headers().set(CONNECTION, CLOSE);
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static long baseline(FullHttpRequest req) {
        long sum = 0;
        var params = new QueryStringDecoder(req.uri()).parameters();
        for (var values : params.values()) for (String v : values) sum += parseLong(v);
        if (req.method() == HttpMethod.POST) sum += parseLong(req.content().toString(CharsetUtil.US_ASCII));
        return sum;
    }

    static int intParam(String uri, String name, int defaultValue) {
        var values = new QueryStringDecoder(uri).parameters().get(name);
        return values == null || values.isEmpty() ? defaultValue : (int) parseLong(values.get(0));
    }

    static long parseLong(String s) {
        return Long.parseLong(s.strip());
    }

    static FullHttpResponse text(ChannelHandlerContext ctx, String body) {
        ByteBuf buf = ctx.alloc().buffer(body.length());
        buf.writeCharSequence(body, CharsetUtil.US_ASCII);
        return response(ctx, HttpResponseStatus.OK, buf, TEXT_PLAIN);
    }

    static FullHttpResponse text(ChannelHandlerContext ctx, byte[] body) {
        return response(ctx, HttpResponseStatus.OK, ctx.alloc().buffer(body.length).writeBytes(body), TEXT_PLAIN);
    }

    static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, AsciiString type) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, false);
        HttpHeaders h = resp.headers();
        h.set(SERVER, BENCH);
        h.set(DATE, HttpDate.current());
        h.set(CONTENT_TYPE, type);
        h.setInt(CONTENT_LENGTH, body.readableBytes());
        return resp;
    }

    /**
     * {@code PORT [--openssl]}. With the environment variables {@code TLS_CERT} and {@code TLS_KEY} (PEM
     * files; the harness sets them for the TLS profiles) it serves HTTPS: TLS 1.3 only,
     * TLS_AES_128_GCM_SHA256, ALPN http/1.1, an SslHandler first in the pipeline; the JDK's SSLEngine
     * ({@link SslProvider#JDK}), or with {@code --openssl} BoringSSL from netty-tcnative
     * ({@link SslProvider#OPENSSL}).
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SslProvider provider = args.length > 1 && args[1].equals("--openssl") ? SslProvider.OPENSSL : SslProvider.JDK;
        SslContext ssl = sslFromEnvironment(provider);
        AllocProbe.start(port);
        if (!Epoll.isAvailable()) throw new IllegalStateException("native epoll unavailable", Epoll.unavailabilityCause());
        int loops = Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        Handler handler = new Handler();
        try {
            var bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl != null) ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                            ch.pipeline()
                                    .addLast("codec", new HttpServerCodec())
                                    .addLast("aggregator", new HttpObjectAggregator(64 << 20))
                                    .addLast("handler", handler);
                        }
                    });
            System.out.println("netty (epoll, " + loops + " event loop(s)) on "
                    + (ssl == null ? "http://127.0.0.1:" + port : "https://127.0.0.1:" + port + " (" + describe(provider) + ")"));
            bootstrap.bind("127.0.0.1", port).sync().channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** The TLS settings every TLS contender uses, or null (plain HTTP) when TLS_CERT is not set. */
    static SslContext sslFromEnvironment(SslProvider provider) throws SSLException {
        String cert = System.getenv("TLS_CERT");
        if (cert == null || cert.isEmpty()) return null;
        if (provider == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("netty-tcnative unavailable", OpenSsl.unavailabilityCause());
        }
        return SslContextBuilder.forServer(new File(cert), new File(System.getenv("TLS_KEY")))
                .sslProvider(provider)
                .protocols("TLSv1.3")
                .ciphers(List.of("TLS_AES_128_GCM_SHA256"))
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    private static String describe(SslProvider provider) {
        return provider == SslProvider.OPENSSL ? "SslProvider.OPENSSL: " + OpenSsl.versionString() : "SslProvider.JDK";
    }
}
