package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.pool.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One selector thread of the {@link EventLoopTransport} and the connections it owns: reads, the
 * {@link Http1Exchange} steps for every request a read brought, handlers inline, one write per read.
 * Everything but the queues runs on its thread.
 */
final class EventLoop implements Runnable {
    final Selector selector;
    final Thread thread;
    private final EventLoopTransport transport;
    private final Server server;
    private final RequestProcessor processor;
    private final HandOff.Target handOffTarget;   // where requests that must block are served
    private final ConcurrentLinkedQueue<LoopConn> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LoopConn> closeRequests = new ConcurrentLinkedQueue<>();
    private final List<LoopConn> handOffs = new ArrayList<>();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private int owned;                                    // connections registered here
    private boolean clockRead;                            // now has been read since the last select
    static final int SMALL_BODY = 16 * 1024;              // see isSmallBody
    private long now;                                     // System.nanoTime() when the current select returned
    private final LoopWatchdog watchdog;
    private final ContextPool.Local spares;               // exchanges of connections that went idle, for the next readable one
    private volatile int trimRequest;                     // TRIM_UNUSED or TRIM_ALL, from the sweeper or the budget

    EventLoop(EventLoopTransport transport, Server server, RequestProcessor processor, HandOff.Target handOffTarget, int index,
              long watchdogNanos, Map<String, Boolean> reportedPaths) throws IOException {
        this.transport = transport;
        this.server = server;
        this.processor = processor;
        this.handOffTarget = handOffTarget;
        this.spares = server.contexts().newLocal();
        selector = Selector.open();
        thread = Thread.ofPlatform().name("fasthttp4j-loop-" + index).daemon().start(this);
        watchdog = new LoopWatchdog(thread.getName(), watchdogNanos, reportedPaths);
    }

    /** Takes over {@code conn} (from the accept thread, or back from a virtual thread with {@code ex}). */
    void adopt(ServerConn conn, Http1Exchange ex) {
        LoopConn lc = new LoopConn(this, conn, ex);
        conn.owner = lc;
        incoming.add(lc);
        selector.wakeup();
    }

    void requestClose(LoopConn lc) {
        closeRequests.add(lc);
        selector.wakeup();
    }

    @Override
    public void run() {
        // Run until stopped and every connection is gone: handed-off ones come back to their loop.
        while (!(transport.isDone() && incoming.isEmpty())) round();
        spares.releaseAll();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    // One select and the housekeeping after it. A method of its own rather than the body of run's
    // loop, because of how the JIT finds hot code: a method is compiled by C2 after a few thousand
    // calls, under a second of load, while a loop that turns once per select (a few thousand times
    // a second) waited ~19 s for its on-stack replacement, and that large compilation then took the
    // loop's core away from serving for a second or more, in the middle of a load (measured).
    private void round() {
        try {
            clockRead = false;
            // No timeout: everything that needs the loop wakes it (adopt, requestClose, stop, the last
            // connection going after stop), and a timed epoll_wait arms and cancels a kernel timer
            // each time the loop sleeps: about once a millisecond under baseline load (measured).
            selector.select(onSelected);
            if (!clockRead) now = System.nanoTime();
            registerIncoming();
            closeRequested();
            if (trimRequest != 0) trimSpares();
            // Last: a connection back from a virtual thread with a pipelined request that must block
            // again is handed off while registering, and the next select would not wake for it.
            completeHandOffs();
        } catch (Throwable t) {
            // Out of memory, or a bug outside any one connection: the loop must outlive it.
            Server.ERRORS.log(Level.ERROR, "event-loop", "event loop failed; it goes on: ", thread.getName(), t);
        }
    }

    int spareCount() {
        return spares.count();
    }

    /** Asks the loop to give back its spare contexts: those unused since the last request, or all. */
    void requestTrim(boolean all) {
        if (spareCount() == 0) return;   // nothing to give back: do not wake an idle loop
        trimRequest = all ? TRIM_ALL : TRIM_UNUSED;
        selector.wakeup();
    }

    private void trimSpares() {
        boolean all = trimRequest == TRIM_ALL;
        trimRequest = 0;
        spares.giveBack(all);
    }

    private void registerIncoming() {
        for (LoopConn lc; (lc = incoming.poll()) != null; ) {
            if (lc.closeOnRegister) {
                finish(lc);
                continue;
            }
            try {
                lc.conn.socket.configureBlocking(false);
                lc.key = lc.conn.socket.register(selector, SelectionKey.OP_READ, lc);
                owned++;
                if (lc.ex == null) {
                    if (!processor.goIdle(lc.conn, now)) close(lc);
                } else if (!lc.ex.isDrained()) {
                    process(lc);      // back from a virtual thread with pipelined bytes
                } else {
                    afterFlush(lc);   // back from a virtual thread: idle now
                }
                readBuffered(lc);     // what the virtual thread's reads left in a TLS stage
            } catch (IOException e) {
                server.connections().logError(lc.conn, e);
                close(lc);
            } catch (Throwable t) {
                Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", lc.conn.id, t);
                close(lc);
            }
        }
    }

    private void closeRequested() {
        for (LoopConn lc; (lc = closeRequests.poll()) != null; ) {
            if (lc.conn.owner != lc || lc.handedOff) {
                lc.conn.close();   // handed off meanwhile: closing wakes its thread, which cleans up
            } else if (lc.key == null) {
                lc.closeOnRegister = true;   // still in the incoming queue
            } else {
                close(lc);
            }
        }
    }

    private void onSelected(SelectionKey key) {
        if (!clockRead) {   // one clock read per select, for every deadline this round sets
            now = System.nanoTime();
            clockRead = true;
        }
        LoopConn lc = (LoopConn) key.attachment();
        try {
            if (!key.isValid()) {
                close(lc);
                return;
            }
            if (key.isWritable()) onWritable(lc);
            if (key.isValid() && key.isReadable() && !lc.handedOff) onReadable(lc);
            readBuffered(lc);
        } catch (IOException e) {
            server.connections().logError(lc.conn, e);
            close(lc);
        } catch (Throwable t) {
            // A bug or out of memory: this connection ends and its context goes back; the loop goes on.
            Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", lc.conn.id, t);
            close(lc);
        }
    }

    // ---- reading and serving ----

    private void onReadable(LoopConn lc) throws IOException {
        ServerConn conn = lc.conn;
        if (lc.draining) {
            drain(lc);
            return;
        }
        Http1Exchange ex = lc.ex;
        if (ex == null) {
            ex = spares.acquire(conn);
            lc.ex = ex;   // before the read: a reset makes it throw, and close(lc) must find the exchange to release
            int n = conn.read(ex.readBuffer(0, ex.readBuf.length));
            if (n <= 0) {
                lc.ex = null;
                spares.release(ex, true);
                if (n < 0) close(lc);
                else if (!conn.channel.flushPending()) awaitWritable(lc, server.config().writeTimeoutNanos());   // a TLS handshake's reply
                return;
            }
            lc.reads++;
            ex.readEnd = n;
            if (!conn.transition(ServerConn.IDLE, ServerConn.ACTIVE)) {   // shutdown closed it first
                close(lc);
                return;
            }
        } else {
            ex.makeRoom();
            int n = conn.read(ex.readBuffer(ex.readEnd, ex.readBuf.length));
            if (n < 0) {
                close(lc);
                return;
            }
            if (n > 0) lc.reads++;
            ex.readEnd += n;
        }
        process(lc);
    }

    /**
     * Reads what the connection's channel holds already (a TLS stage decrypts more than one read
     * takes): the selector does not wake for it. Stops when a read brings nothing, or the connection
     * stops reading (closed, handed off, waiting to write, draining).
     */
    private void readBuffered(LoopConn lc) throws IOException {
        while (!lc.closed && !lc.handedOff && !lc.waitingToWrite && !lc.draining && lc.conn.channel.hasBufferedInput()) {
            long before = lc.reads;
            onReadable(lc);
            if (lc.reads == before) return;
        }
    }

    /** Serves every complete request in the buffer, then writes all their responses at once. */
    private void process(LoopConn lc) throws IOException {
        Http1Exchange ex = lc.ex;
        while (!ex.isDrained() && !lc.closeAfterWrite) {
            if (!ex.started) ex.begin(now);
            int parsed;
            try {
                parsed = ex.parse();
            } catch (BadRequestException e) {
                answerBadRequest(lc, e);
                return;
            }
            if (parsed == Http1Exchange.HEADER_READY && isSmallBody(ex)) {
                ex.expectBody();   // waiting here costs less than a hand-off
                parsed = Http1Exchange.NEED_MORE;
            }
            if (parsed == Http1Exchange.NEED_MORE) break;   // the rest of this request has not arrived
            lc.conn.requestCount++;
            if (parsed == Http1Exchange.HEADER_READY) {   // a large body streamed to the handler: reads block
                handOff(lc, HandOff.RUN_HANDLER);
                return;
            }
            if (!serveInline(lc)) return;   // handed off
            ex = lc.ex;
            if (ex.out.length() >= RequestProcessor.FLUSH_THRESHOLD && !flush(lc)) return;   // back-pressure
        }
        if (!flush(lc)) return;
        afterFlush(lc);
    }

    /**
     * True for a body the loop may as well wait for with streamRequestBody on: a Content-Length of
     * at most {@link #SMALL_BODY}, or a chunked body that has not grown past it yet. Handing the
     * connection to a virtual thread costs more than the wait (and allocates); a larger body goes.
     */
    private static boolean isSmallBody(Http1Exchange ex) {
        long length = ex.ctx.request.header().contentLength();
        return length >= 0 ? length <= SMALL_BODY : ex.ctx.request.bodyBuffer().length() <= SMALL_BODY;
    }

    /** Runs the handler on the loop and writes its response; false when the connection was handed off. */
    private boolean serveInline(LoopConn lc) {
        Http1Exchange ex = lc.ex;
        RequestCtx ctx = ex.ctx;
        ctx.onEventLoop = true;
        watchdog.enter(ctx);
        try {
            processor.handle(ctx);
        } finally {
            watchdog.exit();
            ctx.onEventLoop = false;
        }
        if (ex.needsThread()) {
            HandOff stage = HandOff.FINISH_RESPONSE;
            if (ctx.blockingRequested) {   // run the handler again where it may block
                ctx.blockingRequested = false;
                ctx.response.reset();
                stage = HandOff.RUN_HANDLER;
            }
            handOff(lc, stage);
            return false;
        }
        // Inline, a response is always written: nothing streams, and nothing cancels a handler on a loop.
        ex.prepareResponse();
        if (!ex.keepAlive) {   // (or not written: a 503 in its place, the budget is spent)
            lc.closeAfterWrite = true;
            return true;
        }
        lc.ex = server.contexts().next(ex);
        return true;
    }

    /** After everything read was answered and written: close, wait for the rest of a request, or go idle. */
    private void afterFlush(LoopConn lc) throws IOException {
        if (lc.closeAfterWrite) {
            lc.conn.closeNotify();
            close(lc);
            return;
        }
        Http1Exchange ex = lc.ex;
        if (ex.isDrained() && !ex.parser.isHeaderComplete() && !ex.started) {
            spares.release(ex, true);   // idle connections hold no buffers
            lc.ex = null;
            if (!processor.goIdle(lc.conn, now)) close(lc);
        }
    }

    // ---- writing ----

    /** Writes what the socket takes; true when all is written, else waits for OP_WRITE without reading. */
    private boolean flush(LoopConn lc) throws IOException {
        ByteBuf out = lc.ex.out;
        if (lc.outPos < out.length()) lc.outPos += lc.conn.writeSome(lc.ex.outBuffer(lc.outPos, out.length()));
        if (lc.outPos < out.length() || !lc.conn.channel.flushPending()) {   // (a TLS stage may hold a record)
            awaitWritable(lc, lc.ex.ctx.writeTimeoutNanos);
            return false;
        }
        out.reset();
        lc.outPos = 0;
        if (lc.waitingToWrite) resumeReading(lc);
        return true;
    }

    /** Stops reading until the client reads what waits to be written (back-pressure), under the write deadline. */
    private void awaitWritable(LoopConn lc, long writeTimeoutNanos) {
        if (lc.waitingToWrite) return;
        lc.waitingToWrite = true;
        lc.conn.setWriteDeadline(now + writeTimeoutNanos);
        lc.key.interestOps(SelectionKey.OP_WRITE);
    }

    private void resumeReading(LoopConn lc) {
        lc.waitingToWrite = false;
        lc.conn.clearWriteDeadline();
        lc.key.interestOps(SelectionKey.OP_READ);
    }

    private void onWritable(LoopConn lc) throws IOException {
        if (lc.ex == null) {   // idle, or in a TLS handshake: only the channel's own output waited
            if (lc.conn.channel.flushPending()) resumeReading(lc);
            return;
        }
        if (!flush(lc)) return;
        if (lc.draining) {
            startDraining(lc);
            return;
        }
        if (!lc.ex.isDrained() && !lc.closeAfterWrite) process(lc);   // pipelined requests waited for the drain
        else afterFlush(lc);
    }

    // ---- refused requests ----

    private void answerBadRequest(LoopConn lc, BadRequestException e) throws IOException {
        lc.ex.prepareBadRequest(e);
        lc.draining = true;   // after the answer: half-close, read and drop for a moment, close
        if (flush(lc)) startDraining(lc);
    }

    /** Half-closes, then drops what the client still sends until EOF or the linger deadline, as the virtual-thread transport does. */
    private void startDraining(LoopConn lc) throws IOException {
        lc.conn.channel.shutdownOutput();
        lc.conn.channel.flushPending();   // a TLS close_notify: what the socket does not take now is dropped at the close
        lc.conn.setReadDeadline(now + Server.LINGER_NANOS);
        lc.drained = 0;
    }

    private void drain(LoopConn lc) throws IOException {
        Http1Exchange ex = lc.ex;
        int n = lc.conn.read(ex.readBuffer(0, ex.readBuf.length));
        if (n < 0 || (lc.drained += Math.max(n, 0)) > 256 * 1024) close(lc);
    }

    // ---- hand-off to a virtual thread and back ----

    private void handOff(LoopConn lc, HandOff stage) {
        lc.handedOff = true;
        lc.stage = stage;
        lc.key.cancel();     // the channel can turn blocking once the next select has deregistered it
        handOffs.add(lc);
    }

    private void completeHandOffs() throws IOException {
        if (handOffs.isEmpty()) return;
        selector.selectNow();   // flushes the cancelled keys
        for (LoopConn lc : handOffs) {
            owned--;
            ServerConn conn = lc.conn;
            conn.owner = null;   // from now on abort() closes the channel directly, waking the blocked thread
            try {
                conn.socket.configureBlocking(true);
            } catch (IOException e) {
                server.connections().logError(conn, e);
                finish(lc);
                continue;
            }
            Http1Exchange ex = lc.ex;
            HandOff stage = lc.stage;
            try {
                Thread.ofVirtual().name("fasthttp4j-blocking-", conn.id).start(() -> {
                    Http1Exchange back = handOffTarget.serveHandedOff(conn, ex, stage);
                    if (back == null) {
                        transport.connectionGone();
                    } else {
                        adopt(conn, back);
                    }
                });
            } catch (Throwable t) {
                Server.ERRORS.log(Level.ERROR, "hand-off", "could not hand a connection to a virtual thread: #", conn.id, t);
                finish(lc);
            }
        }
        handOffs.clear();
    }

    // ---- closing ----

    private void close(LoopConn lc) {
        if (lc.closed) return;
        lc.closed = true;
        if (lc.key != null) {
            lc.key.cancel();
            owned--;
        }
        finish(lc);
    }

    private void finish(LoopConn lc) {
        if (lc.ex != null) {
            spares.release(lc.ex, false);
            lc.ex = null;
        }
        lc.conn.finish();
        server.connections().closed(lc.conn);
        transport.connectionGone();
    }

    void checkWatchdog(long nowNanos) {
        watchdog.check(nowNanos);
    }

    private static final int TRIM_UNUSED = 1;
    private static final int TRIM_ALL = 2;
}
