package io.fasthttp4j.server;

import io.fasthttp4j.BadRequestException;
import io.fasthttp4j.Status;
import io.fasthttp4j.internal.codec.ChunkedWriter;
import io.fasthttp4j.internal.codec.ResponseWriter;
import io.fasthttp4j.pool.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadFactory;

/**
 * The default transport: each connection is served by a worker (a virtual thread unless configured
 * otherwise) doing blocking reads and writes; the JDK parks the virtual thread while it waits.
 * Pipelined requests are parsed back to back from the read buffer and their responses flushed once,
 * when the worker is about to wait for more input.
 */
final class BlockingTransport implements Transport, HandOff.Target {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    private static final int STREAM_CHUNK = 16 * 1024;

    private final Server server;
    private final RequestProcessor processor;
    private final WorkerPool workers;

    BlockingTransport(Server server, RequestProcessor processor, ThreadFactory threadFactory, int concurrency, long maxIdleWorkerNanos) {
        this.server = server;
        this.processor = processor;
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
        RequestCtx ctx = null;   // held only while a request is in progress: an idle connection holds no buffers
        boolean hijacked = false;
        try {
            while (true) {
                if (ctx == null && (ctx = awaitRequest(conn)) == null) break;
                boolean ready;
                try {
                    ready = readRequest(conn, ctx);
                } catch (BadRequestException e) {
                    answerBadRequest(conn, ctx, e);
                    break;
                }
                if (!ready) break;
                conn.requestCount++;
                boolean keepAlive = respond(conn, ctx);
                if (ctx.hijackHandler != null) {
                    flush(conn, ctx);
                    hijacked = true;
                    hijack(conn, ctx);
                    break;
                }
                if (!keepAlive) {
                    flush(conn, ctx);
                    break;
                }
                ctx = server.contexts().next(ctx);
                if (ctx.readPos == ctx.readEnd) {   // nothing pipelined: flush, and give the buffers back while idle
                    flush(conn, ctx);
                    server.contexts().release(ctx);
                    ctx = null;
                }
            }
        } catch (IOException e) {
            server.connections().logError(conn, e);
        } catch (Throwable t) {
            // A bug or out of memory: this connection ends, its context goes back; the worker goes on.
            Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", conn.id, t);
        } finally {
            if (ctx != null) server.contexts().release(ctx);
            if (!hijacked) conn.close();
            server.connections().closed(conn);
        }
    }

    // ---- reading ----

    /**
     * Waits for the first bytes of the next request with only the connection's small first-read
     * buffer, then takes a context (and its buffers) from the pool. Null when the connection ends.
     */
    private RequestCtx awaitRequest(ServerConn conn) throws IOException {
        if (!goIdle(conn)) return null;
        int n = conn.readFirst();
        if (n < 0) return null;                                                 // closed between requests: the normal end
        if (!conn.transition(ServerConn.IDLE, ServerConn.ACTIVE)) return null;   // shutdown closed it first
        RequestCtx ctx = server.contexts().acquire(conn);
        ctx.readNanos = System.nanoTime();
        System.arraycopy(conn.firstReadBuffer(), 0, ctx.readBuf, 0, n);
        ctx.readPos = 0;
        ctx.readEnd = n;
        return ctx;
    }

    /** Reads the request whose first bytes are in the buffer; false when the connection should end without it. */
    private boolean readRequest(ServerConn conn, RequestCtx ctx) throws IOException {
        startRequest(conn, ctx);
        while (true) {
            if (ctx.readPos < ctx.readEnd) {
                ctx.readPos = ctx.parser.parse(ctx.readBuf, ctx.readPos, ctx.readEnd, ctx.request);
                if (ctx.parser.isComplete()) {
                    conn.clearReadDeadline();
                    return true;
                }
                if (ctx.parser.isHeaderComplete()) {
                    if (ctx.sendContinue) sendContinue(conn, ctx);
                    if (server.config().streamRequestBody()) return true;
                }
            }
            flush(conn, ctx);   // never wait for input while responses wait in the buffer
            ctx.makeRoom();
            int n = conn.read(ctx.readBuffer(ctx.readEnd, ctx.readBuf.length));
            if (n < 0) return false;   // the client left in the middle of a request: nobody to answer
            ctx.readNanos = System.nanoTime();
            ctx.readEnd += n;
        }
    }

    // A request starts when the read that brought its first bytes returned: one clock read per read,
    // not per request (16 pipelined requests share one; a clock read costs ~35 ns here).
    private void startRequest(ServerConn conn, RequestCtx ctx) {
        if (ctx.readNanos == 0) ctx.readNanos = System.nanoTime();   // bytes that came from elsewhere (a hand-off)
        ctx.startNanos = ctx.readNanos;
        conn.setReadDeadline(ctx.startNanos + server.config().readTimeoutNanos());
        server.connections().stateChanged(conn, ConnState.ACTIVE);
    }

    /** Marks the connection idle while it waits for a request; false when the server is shutting down. */
    private boolean goIdle(ServerConn conn) {
        boolean fresh = conn.requestCount == 0;
        conn.setState(ServerConn.IDLE);
        // shutdown sets its flag, then closes IDLE connections: one of the two sees the other
        if (server.isShuttingDown()) return false;
        conn.setReadDeadline(System.nanoTime() + (fresh ? server.config().readTimeoutNanos() : server.config().idleTimeoutNanos()));
        if (!fresh) server.connections().stateChanged(conn, ConnState.IDLE);
        return true;
    }

    private void sendContinue(ServerConn conn, RequestCtx ctx) throws IOException {
        ctx.sendContinue = false;
        ctx.out.append(RequestProcessor.CONTINUE);
        flush(conn, ctx);
    }

    @Override
    public void readMoreBody(RequestCtx ctx) throws IOException {
        ServerConn conn = ctx.conn;
        if (ctx.sendContinue) sendContinue(conn, ctx);
        ctx.makeRoom();
        int n;
        try {
            n = conn.read(ctx.readBuffer(ctx.readEnd, ctx.readBuf.length));
            if (n < 0) throw new EOFException("client closed the connection before the end of the request body");
        } catch (IOException e) {
            ctx.cancel();   // the client has gone: isCancelled() says so, onCancel runs
            throw e;
        }
        ctx.readEnd += n;
        ctx.readPos = ctx.parser.parse(ctx.readBuf, ctx.readPos, ctx.readEnd, ctx.request);
    }

    // ---- writing ----

    /** Runs the handler and writes (or streams) its response; true when the connection stays open. */
    private boolean respond(ServerConn conn, RequestCtx ctx) throws IOException {
        processor.handle(ctx);
        return finishResponse(conn, ctx);
    }

    /** Writes (or streams) the response of a handler that has run; true when the connection stays open. */
    boolean finishResponse(ServerConn conn, RequestCtx ctx) throws IOException {
        if (ctx.timedOut != null) {   // a TimeoutHandler answered; the handler still runs with the context
            processor.writeTimedOut(ctx);
            return false;
        }
        if (ctx.cancelledNow()) return false;   // the client has gone: nobody reads the response
        // A body the handler did not read to its end would be parsed as the next request: close instead.
        boolean keepAlive = processor.keepAlive(conn, ctx) && ctx.parser.isComplete();
        boolean streamed = ctx.sendFile != null || ctx.bodyStream != null || ctx.bodyStreamWriter != null;
        // An HTTP/1.0 client cannot read chunks: a body of unknown length then ends with the connection.
        if (streamed && !ctx.request.header().isHttp11() && (ctx.bodyStreamWriter != null || ctx.bodyStreamSize < 0)) keepAlive = false;
        processor.applyConnection(ctx, keepAlive);
        if (streamed) return streamResponse(conn, ctx) && keepAlive;
        if (!processor.writeResponse(ctx)) keepAlive = false;   // a 503 in its place: the budget is spent
        if (ctx.out.length() >= RequestProcessor.FLUSH_THRESHOLD) flush(conn, ctx);
        return keepAlive;
    }

    /** Writes the output buffer to the connection, under the write deadline. */
    private void flush(ServerConn conn, RequestCtx ctx) throws IOException {
        ByteBuf out = ctx.out;
        if (out.isEmpty()) return;
        conn.setWriteDeadline(System.nanoTime() + ctx.writeTimeoutNanos);
        conn.writeFully(ctx.outBuffer(0, out.length()));
        conn.clearWriteDeadline();
        out.reset();
    }

    /** Sends a file, an input stream or a stream writer's output; false when the connection must close. */
    private boolean streamResponse(ServerConn conn, RequestCtx ctx) throws IOException {
        boolean head = ctx.request.header().isHead();
        if (ctx.sendFile != null) return sendFile(conn, ctx, head);
        if (ctx.bodyStream != null) return sendStream(conn, ctx, head);
        return runStreamWriter(conn, ctx, head);
    }

    private boolean sendFile(ServerConn conn, RequestCtx ctx, boolean head) throws IOException {
        FileChannel file;
        try {
            file = FileChannel.open(ctx.sendFile, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            processor.prepareError(ctx, Status.NOT_FOUND, e);
            processor.writeResponse(ctx);
            return true;
        } catch (IOException | SecurityException e) {
            processor.prepareError(ctx, Status.FORBIDDEN, e);
            processor.writeResponse(ctx);
            return true;
        }
        try (file) {
            long size = file.size();
            processor.writer().writeHeader(ctx.response, size, ctx.out);
            flush(conn, ctx);
            if (head) return true;
            for (long pos = 0; pos < size; ) {
                conn.setWriteDeadline(System.nanoTime() + ctx.writeTimeoutNanos);   // per piece: a slow reader is fine, a stalled one is not
                long n = file.transferTo(pos, size - pos, conn.channel);   // sendfile(2) where the JDK can
                if (n <= 0 && file.size() < size) throw new EOFException("file " + ctx.sendFile + " shrank while being sent");
                pos += n;
            }
            conn.clearWriteDeadline();
            return true;
        }
    }

    private boolean sendStream(ServerConn conn, RequestCtx ctx, boolean head) throws IOException {
        long size = ctx.bodyStreamSize;
        boolean chunked = size < 0 && ctx.request.header().isHttp11();
        InputStream in = ctx.bodyStream;
        try {
            processor.writer().writeHeader(ctx.response, size >= 0 ? size : chunked ? ResponseWriter.CHUNKED : ResponseWriter.UNTIL_CLOSE, ctx.out);
            if (!head) copyBody(conn, ctx, in, size, chunked);
        } finally {
            in.close();   // before the last flush: once the client has the body, the stream is closed
        }
        flush(conn, ctx);
        return true;
    }

    private void copyBody(ServerConn conn, RequestCtx ctx, InputStream in, long size, boolean chunked) throws IOException {
        ByteBuf out = ctx.out;
        if (size >= 0) {
            for (long left = size; left > 0; ) {
                if (out.length() >= STREAM_CHUNK) flush(conn, ctx);
                byte[] a = out.ensureSpace(STREAM_CHUNK);
                int n = in.read(a, out.length(), (int) Math.min(STREAM_CHUNK, left));
                if (n < 0) throw new EOFException("body stream ended after " + (size - left) + " of " + size + " bytes");
                out.setLength(out.length() + n);
                left -= n;
            }
            return;
        }
        byte[] chunk = ctx.streamBuffer();
        for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
            if (chunked) ResponseWriter.appendChunk(chunk, 0, n, out);
            else out.append(chunk, 0, n);
            if (out.length() >= STREAM_CHUNK) flush(conn, ctx);
        }
        if (chunked) ResponseWriter.appendLastChunk(ctx.response.trailers(), out);
    }

    private boolean runStreamWriter(ServerConn conn, RequestCtx ctx, boolean head) throws IOException {
        boolean chunked = ctx.request.header().isHttp11();
        processor.writer().writeHeader(ctx.response, chunked ? ResponseWriter.CHUNKED : ResponseWriter.UNTIL_CLOSE, ctx.out);
        if (head) return true;
        ChunkedBodyWriter body = new ChunkedBodyWriter(conn, ctx, chunked);
        try {
            ctx.bodyStreamWriter.write(body);
        } catch (IOException | RuntimeException e) {
            // The status line is gone already: all we can do is end the connection, so the client sees a truncated body.
            LOG.log(Level.WARNING, () -> "body stream writer failed for " + ctx, e);
            flush(conn, ctx);
            return false;
        }
        body.finish();
        return true;
    }

    /**
     * The stream a {@link BodyStreamWriter} writes to: the codec's chunked writer, collecting writes
     * into chunks of up to 16 KiB (raw bytes ended by the close for an HTTP/1.0 client), written to
     * the connection once 16 KiB wait, on flush, and when finished.
     */
    private final class ChunkedBodyWriter extends ChunkedWriter {
        private final ServerConn conn;
        private final RequestCtx ctx;

        ChunkedBodyWriter(ServerConn conn, RequestCtx ctx, boolean chunked) {
            super(ctx.out, ctx.streamBuffer(), ctx.response.trailers(), chunked, STREAM_CHUNK);
            this.conn = conn;
            this.ctx = ctx;
        }

        @Override
        protected void writeOut() throws IOException {
            BlockingTransport.this.flush(conn, ctx);
        }

        /** Frames the rest and the last chunk, and sends them. */
        @Override
        public void finish() throws IOException {
            super.finish();
            writeOut();
        }
    }

    // ---- requests handed over by an event loop ----

    /**
     * Serves one request that an event loop handed over, on a virtual thread with the channel in
     * blocking mode. Returns the context when the connection should go back to its loop (keep-alive),
     * or null when it has been closed or hijacked (the context is then released).
     */
    @Override
    public RequestCtx serveHandedOff(ServerConn conn, RequestCtx ctx, HandOff stage) {
        boolean done = true;
        try {
            boolean keepAlive = stage == HandOff.RUN_HANDLER ? respond(conn, ctx) : finishResponse(conn, ctx);
            if (ctx.hijackHandler != null) {
                flush(conn, ctx);
                hijack(conn, ctx);
                return null;
            }
            flush(conn, ctx);
            if (!keepAlive) return null;
            ctx = server.contexts().next(ctx);
            done = false;
            return ctx;
        } catch (IOException e) {
            server.connections().logError(conn, e);
            return null;
        } catch (Throwable t) {
            Server.ERRORS.log(Level.ERROR, "connection", "connection failed: #", conn.id, t);
            return null;
        } finally {
            if (done) {
                server.contexts().release(ctx);
                if (conn.state() != ServerConn.HIJACKED) conn.close();
                server.connections().closed(conn);
            }
        }
    }

    // ---- errors and hand-over ----

    /** Answers input the parser refused with its status and closes, letting the client read the answer. */
    private void answerBadRequest(ServerConn conn, RequestCtx ctx, BadRequestException e) throws IOException {
        processor.prepareError(ctx, e.status(), e);
        processor.writeResponse(ctx);
        flush(conn, ctx);
        lingerClose(conn, ctx);
    }

    /**
     * Half-closes, then reads and drops what the client still sends for a moment: closing with unread
     * input makes the kernel send RST, which can destroy our response before the client reads it.
     */
    private void lingerClose(ServerConn conn, RequestCtx ctx) {
        try {
            if (conn.socket == null) return;   // in memory: nothing is lost by closing at once
            conn.socket.shutdownOutput();
            conn.setReadDeadline(System.nanoTime() + Server.LINGER_NANOS);
            for (int total = 0; total < 256 * 1024; ) {
                int n = conn.read(ctx.readBuffer(0, ctx.readBuf.length));
                if (n < 0) return;
                total += n;
            }
        } catch (IOException ignored) {
            // the client is gone or the linger deadline passed: close now
        }
    }

    private void hijack(ServerConn conn, RequestCtx ctx) {
        conn.setState(ServerConn.HIJACKED);
        conn.clearDeadlines();
        server.connections().stateChanged(conn, ConnState.HIJACKED);
        byte[] buffered = java.util.Arrays.copyOfRange(ctx.readBuf, ctx.readPos, ctx.readEnd);
        HijackHandler handler = ctx.hijackHandler;
        HijackedConnection hijacked = new HijackedConnection(conn.channel, conn.socket, buffered, conn.remoteAddress, conn.localAddress);
        try {
            handler.handle(hijacked);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, () -> "hijack handler failed on connection #" + conn.id, t);
        } finally {
            conn.close();
        }
    }

}
