package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadFactory;

/**
 * The default transport: each connection is served by a worker (a virtual thread unless configured
 * otherwise) doing blocking reads and writes; the JDK parks the virtual thread while it waits.
 * Pipelined requests are parsed back to back from the read buffer and their responses flushed once,
 * when the worker is about to wait for more input.
 */
final class BlockingTransport implements Transport, HandOff.Target {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    private static final int KEEP_ALIVE = 0;
    private static final int CLOSE = 1;
    private static final int HIJACKED = 2;

    private final Server server;
    private final RequestProcessor processor;
    private final ResponseStreamer streamer;
    private final WorkerPool workers;

    BlockingTransport(Server server, RequestProcessor processor, ThreadFactory threadFactory, int concurrency, long maxIdleWorkerNanos) {
        this.server = server;
        this.processor = processor;
        this.streamer = new ResponseStreamer(processor);
        this.workers = new WorkerPool(this::serveHere, threadFactory, concurrency, maxIdleWorkerNanos);
    }

    @Override
    public boolean serve(ServerConn conn) {
        return workers.serve(conn);
    }

    @Override
    public int busyCount() {
        return workers.busyCount();
    }

    @Override
    public void sweep(long nowNanos) {
        workers.retireIdle(nowNanos);
    }

    @Override
    public void stop() {
        workers.stop();
    }

    /** Serves {@code conn} until it closes; runs on the connection's worker thread only. */
    @Override
    public void serveHere(ServerConn conn) {
        Http1Exchange ex = null;   // held only while a request is in progress: an idle connection holds no buffers
        boolean hijacked = false;
        try {
            while (true) {
                if (ex == null && (ex = awaitRequest(conn)) == null) break;
                try {
                    if (!readRequest(ex)) break;   // the client left in the middle of a request: nobody to answer
                } catch (BadRequestException e) {
                    answerBadRequest(ex, e);
                    break;
                }
                conn.requestCount++;
                processor.handle(ex.ctx);
                int outcome = respond(ex);
                if (outcome != KEEP_ALIVE) {
                    hijacked = outcome == HIJACKED;
                    break;
                }
                ex = server.contexts().next(ex);
                if (ex.isDrained()) {   // nothing pipelined: flush, and give the buffers back while idle
                    ex.flush();
                    server.contexts().release(ex);
                    ex = null;
                }
            }
        } catch (IOException e) {
            server.connections().logError(conn, e);
        } catch (Throwable t) {
            // A bug or out of memory: this connection ends, its exchange goes back; the worker goes on.
            Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", conn.id, t);
        } finally {
            if (ex != null) server.contexts().release(ex);
            if (!hijacked) conn.finish();
            server.connections().closed(conn);
        }
    }

    // ---- reading ----

    /**
     * Waits for the first bytes of the next request with only the connection's small first-read
     * buffer, then takes an exchange (and its buffers) from the pool. Null when the connection ends.
     */
    private Http1Exchange awaitRequest(ServerConn conn) throws IOException {
        if (!processor.goIdle(conn, System.nanoTime())) return null;
        int n = conn.readFirst();
        if (n < 0) return null;                                                 // closed between requests: the normal end
        if (!conn.transition(ServerConn.IDLE, ServerConn.ACTIVE)) return null;   // shutdown closed it first
        Http1Exchange ex = server.contexts().acquire(conn);
        ex.readNanos = System.nanoTime();
        ex.appendRead(conn.firstReadBuffer(), 0, n);
        return ex;
    }

    /**
     * Reads until the request whose first bytes are in the buffer is complete, or its header is with
     * the body streamed to the handler; false when the client left before that.
     */
    private boolean readRequest(Http1Exchange ex) throws IOException {
        // A request starts when the read that brought its first bytes returned: one clock read per read,
        // not per request (16 pipelined requests share one; a clock read costs ~35 ns here).
        if (ex.readNanos == 0) ex.readNanos = System.nanoTime();   // bytes that came from elsewhere (a hand-off)
        ex.begin(ex.readNanos);
        while (ex.parse() == Http1Exchange.NEED_MORE) {
            ex.flush();   // never wait for input while responses (or a 100 Continue) wait in the buffer
            ex.makeRoom();
            int n = ex.conn.read(ex.readBuffer(ex.readEnd, ex.readBuf.length));
            if (n < 0) return false;
            ex.readNanos = System.nanoTime();
            ex.readEnd += n;
        }
        return true;
    }

    // ---- writing ----

    /** After the handler: writes or streams its response, then hijacks if asked; {@link #KEEP_ALIVE}, {@link #CLOSE} or {@link #HIJACKED}. */
    private int respond(Http1Exchange ex) throws IOException {
        int prepared = ex.prepareResponse();
        if (prepared == Http1Exchange.DROPPED) return CLOSE;   // the client has gone
        boolean keepAlive = ex.keepAlive;
        if (prepared == Http1Exchange.STREAMED && !streamer.stream(ex)) keepAlive = false;
        if (ex.ctx.hijackHandler != null && ex.ctx.cancellation.timedOut == null) {
            ex.flush();
            hijack(ex);
            return HIJACKED;
        }
        if (!keepAlive) {
            ex.flush();
            ex.conn.closeNotify();
            return CLOSE;
        }
        if (ex.out.length() >= RequestProcessor.FLUSH_THRESHOLD) ex.flush();
        return KEEP_ALIVE;
    }

    // ---- requests handed over by an event loop ----

    /**
     * Serves one request that an event loop handed over, on a virtual thread with the channel in
     * blocking mode. Returns the exchange when the connection should go back to its loop (keep-alive),
     * or null when it has been closed or hijacked (the exchange is then released).
     */
    @Override
    public Http1Exchange serveHandedOff(ServerConn conn, Http1Exchange ex, HandOff stage) {
        boolean done = true;
        try {
            if (stage == HandOff.RUN_HANDLER) processor.handle(ex.ctx);
            int outcome = respond(ex);
            if (outcome != KEEP_ALIVE) return null;
            ex.flush();
            ex = server.contexts().next(ex);
            done = false;
            return ex;
        } catch (IOException e) {
            server.connections().logError(conn, e);
            return null;
        } catch (Throwable t) {
            Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", conn.id, t);
            return null;
        } finally {
            if (done) {
                server.contexts().release(ex);
                if (conn.state() != ServerConn.HIJACKED) conn.finish();
                server.connections().closed(conn);
            }
        }
    }

    // ---- errors and hijacking ----

    /** Answers input the parser refused with its status and closes, letting the client read the answer. */
    private void answerBadRequest(Http1Exchange ex, BadRequestException e) throws IOException {
        ex.prepareBadRequest(e);
        ex.flush();
        lingerClose(ex);
    }

    /**
     * Half-closes, then reads and drops what the client still sends for a moment: closing with unread
     * input makes the kernel send RST, which can destroy our response before the client reads it.
     */
    private static void lingerClose(Http1Exchange ex) {
        ServerConn conn = ex.conn;
        try {
            if (conn.socket == null) return;   // in memory: nothing is lost by closing at once
            conn.channel.shutdownOutput();
            conn.setReadDeadline(System.nanoTime() + Server.LINGER_NANOS);
            for (int total = 0; total < 256 * 1024; ) {
                int n = conn.read(ex.readBuffer(0, ex.readBuf.length));
                if (n < 0) return;
                total += n;
            }
        } catch (IOException ignored) {
            // the client is gone or the linger deadline passed: close now
        }
    }

    private void hijack(Http1Exchange ex) {
        ServerConn conn = ex.conn;
        conn.setState(ServerConn.HIJACKED);
        conn.clearDeadlines();
        server.connections().stateChanged(conn, ConnState.HIJACKED);
        byte[] buffered = java.util.Arrays.copyOfRange(ex.readBuf, ex.readPos, ex.readEnd);
        HijackHandler handler = ex.ctx.hijackHandler;
        HijackedConnection hijacked = new HijackedConnection(conn.channel, conn.socket, buffered, conn.remoteAddress, conn.localAddress);
        try {
            handler.handle(hijacked);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, () -> "hijack handler failed on connection #" + conn.id, t);
        } finally {
            conn.closeNotify();
            conn.finish();
        }
    }
}
