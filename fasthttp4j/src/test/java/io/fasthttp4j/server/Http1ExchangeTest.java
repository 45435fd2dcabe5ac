package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.BadRequestException;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The steps both transports drive, without a transport: parse states, 100 Continue, the keep-alive decision. */
class Http1ExchangeTest {
    private Server server;
    private ServerConn conn;

    @AfterEach
    void stop() {
        conn.close();
        server.connections().closed(conn);
        assertTrue(server.shutdown(Duration.ofSeconds(5)));
    }

    private Http1Exchange exchange(RequestHandler handler, boolean streamRequestBody, String bytes) {
        server = Server.builder(handler).streamRequestBody(streamRequestBody).build();
        conn = server.connections().register(new NoChannel(), new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 8080));
        Http1Exchange ex = server.contexts().acquire(conn);
        append(ex, bytes);
        ex.begin(System.nanoTime());
        return ex;
    }

    private static void append(Http1Exchange ex, String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.US_ASCII);
        ex.appendRead(b, 0, b.length);
    }

    private static String out(Http1Exchange ex) {
        return new String(ex.out.array(), 0, ex.out.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void waitsForTheRestOfASplitHeaderThenCompletes() {
        Http1Exchange ex = exchange(ctx -> { }, false, "GET /a HTTP/1.1\r\nHo");
        assertEquals(Http1Exchange.NEED_MORE, ex.parse());
        append(ex, "st: x\r\n\r\n");
        assertEquals(Http1Exchange.COMPLETE, ex.parse());
        assertTrue(ex.isDrained());
        assertFalse(ex.conn.isOverdue(Long.MAX_VALUE), "the read deadline is cleared once the request is in");
    }

    @Test
    void appendsOneContinueWhenTheServerWaitsForAnExpectedBody() {
        Http1Exchange ex = exchange(ctx -> { }, false, "POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        assertEquals(Http1Exchange.NEED_MORE, ex.parse());
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", out(ex));
        assertEquals(Http1Exchange.NEED_MORE, ex.parse());
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", out(ex), "sent once");
        append(ex, "hello");
        assertEquals(Http1Exchange.COMPLETE, ex.parse());
    }

    @Test
    void runsAStreamingHandlerAtTheHeaderAndLeavesTheContinueForItsFirstRead() {
        Http1Exchange ex = exchange(ctx -> { }, true, "POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        assertEquals(Http1Exchange.HEADER_READY, ex.parse());
        assertEquals(0, ex.out.length(), "a handler that never reads the body gets no 100 Continue sent for it");
        assertTrue(ex.sendContinue);
    }

    @Test
    void keepsTheConnectionAfterAWrittenResponse() {
        Http1Exchange ex = exchange(ctx -> ctx.setBody("ok"), false, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(Http1Exchange.COMPLETE, ex.parse());
        server.processor().handle(ex.ctx);
        assertFalse(ex.needsThread());
        assertEquals(Http1Exchange.WRITTEN, ex.prepareResponse());
        assertTrue(ex.keepAlive);
        assertTrue(out(ex).startsWith("HTTP/1.1 200 OK\r\n"), out(ex));
        assertTrue(out(ex).endsWith("\r\n\r\nok"), out(ex));
    }

    @Test
    void closesAfterAHandlerThatLeftTheBodyUnread() {
        Http1Exchange ex = exchange(ctx -> ctx.setBody("early"), true, "POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
        assertEquals(Http1Exchange.HEADER_READY, ex.parse());
        server.processor().handle(ex.ctx);
        assertEquals(Http1Exchange.WRITTEN, ex.prepareResponse());
        assertFalse(ex.keepAlive, "the rest of the body would be parsed as the next request");
        assertTrue(out(ex).contains("\r\nConnection: close\r\n"), out(ex));
    }

    @Test
    void leavesAStreamedBodyToTheStreamerOnAThreadThatMayBlock() {
        Http1Exchange ex = exchange(ctx -> ctx.setBodyStream(new ByteArrayInputStream(new byte[3]), 3), false, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(Http1Exchange.COMPLETE, ex.parse());
        server.processor().handle(ex.ctx);
        assertTrue(ex.needsThread());
        assertEquals(Http1Exchange.STREAMED, ex.prepareResponse());
        assertTrue(ex.keepAlive);
        assertEquals(0, ex.out.length(), "nothing written before the streamer writes the header");
    }

    @Test
    void answersRefusedInputWithItsStatusAndClose() {
        Http1Exchange ex = exchange(ctx -> { }, false, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        BadRequestException e = assertThrows(BadRequestException.class, ex::parse);
        ex.prepareBadRequest(e);
        assertFalse(ex.keepAlive);
        assertTrue(out(ex).startsWith("HTTP/1.1 400 "), out(ex));
        assertTrue(out(ex).contains("\r\nConnection: close\r\n"), out(ex));
    }

    @Test
    void nextKeepsAPipelinedRequestAndGoesBackToItsPoolOnce() {
        Http1Exchange ex = exchange(ctx -> { }, false, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(Http1Exchange.COMPLETE, ex.parse());
        assertEquals("/1", ex.ctx.path().toString());
        ex = server.contexts().next(ex);
        assertFalse(ex.isDrained());
        assertFalse(ex.started, "the next request has its own start");
        ex.begin(System.nanoTime());
        assertEquals(Http1Exchange.COMPLETE, ex.parse());
        assertEquals("/2", ex.ctx.path().toString());
        ex = server.contexts().next(ex);
        assertTrue(ex.isDrained());
        assertEquals(1, server.contexts().outstanding());
        server.contexts().release(ex);
        assertEquals(0, server.contexts().outstanding());
    }

    /** The exchange's steps never touch the channel. */
    private static final class NoChannel implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) {
            throw new AssertionError("read");
        }

        @Override
        public int write(ByteBuffer src) {
            throw new AssertionError("write");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
