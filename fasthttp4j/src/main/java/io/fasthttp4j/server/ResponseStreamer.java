package io.fasthttp4j.server;

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

/**
 * Writes a response whose body is not in memory: a file (sendfile(2) where the connection's channel
 * allows), an input stream (with Content-Length, chunked, or until the close for an HTTP/1.0
 * client), or a {@link BodyStreamWriter}'s output. Blocking, on the connection's worker or a
 * handed-off request's virtual thread; the output buffer is flushed every {@value #STREAM_CHUNK} bytes,
 * so a streamed body holds no more than that per connection. Stateless.
 */
final class ResponseStreamer {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    /** Bytes collected in the output buffer before it is written. */
    static final int STREAM_CHUNK = 16 * 1024;

    private final RequestProcessor processor;

    ResponseStreamer(RequestProcessor processor) {
        this.processor = processor;
    }

    /** Sends the body source the handler set; false when the connection must close. */
    boolean stream(Http1Exchange ex) throws IOException {
        RequestCtx ctx = ex.ctx;
        boolean head = ctx.request.header().isHead();
        if (ctx.sendFile != null) return sendFile(ex, head);
        if (ctx.bodyStream != null) return sendStream(ex, head);
        return runStreamWriter(ex, head);
    }

    private boolean sendFile(Http1Exchange ex, boolean head) throws IOException {
        RequestCtx ctx = ex.ctx;
        FileChannel file;
        try {
            file = FileChannel.open(ctx.sendFile, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            processor.prepareError(ctx, Status.NOT_FOUND, e);
            processor.writeResponse(ex);
            return true;
        } catch (IOException | SecurityException e) {
            processor.prepareError(ctx, Status.FORBIDDEN, e);
            processor.writeResponse(ex);
            return true;
        }
        try (file) {
            long size = file.size();
            processor.writer().writeHeader(ctx.response, size, ex.out);
            ex.flush();
            if (head) return true;
            ServerConn conn = ex.conn;
            for (long pos = 0; pos < size; ) {
                conn.setWriteDeadline(System.nanoTime() + ctx.writeTimeoutNanos);   // per piece: a slow reader is fine, a stalled one is not
                long n = conn.channel.transferFrom(file, pos, size - pos);
                if (n <= 0 && file.size() < size) throw new EOFException("file " + ctx.sendFile + " shrank while being sent");
                pos += n;
            }
            conn.clearWriteDeadline();
            return true;
        }
    }

    private boolean sendStream(Http1Exchange ex, boolean head) throws IOException {
        RequestCtx ctx = ex.ctx;
        long size = ctx.bodyStreamSize;
        boolean chunked = size < 0 && ctx.request.header().isHttp11();
        InputStream in = ctx.bodyStream;
        try {
            processor.writer().writeHeader(ctx.response, size >= 0 ? size : chunked ? ResponseWriter.CHUNKED : ResponseWriter.UNTIL_CLOSE, ex.out);
            if (!head) copyBody(ex, in, size, chunked);
        } finally {
            in.close();   // before the last flush: once the client has the body, the stream is closed
        }
        ex.flush();
        return true;
    }

    private static void copyBody(Http1Exchange ex, InputStream in, long size, boolean chunked) throws IOException {
        ByteBuf out = ex.out;
        if (size >= 0) {
            for (long left = size; left > 0; ) {
                if (out.length() >= STREAM_CHUNK) ex.flush();
                byte[] a = out.ensureSpace(STREAM_CHUNK);
                int n = in.read(a, out.length(), (int) Math.min(STREAM_CHUNK, left));
                if (n < 0) throw new EOFException("body stream ended after " + (size - left) + " of " + size + " bytes");
                out.setLength(out.length() + n);
                left -= n;
            }
            return;
        }
        byte[] chunk = ex.streamBuffer();
        for (int n; (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
            if (chunked) ResponseWriter.appendChunk(chunk, 0, n, out);
            else out.append(chunk, 0, n);
            if (out.length() >= STREAM_CHUNK) ex.flush();
        }
        if (chunked) ResponseWriter.appendLastChunk(ex.ctx.response.trailers(), out);
    }

    private boolean runStreamWriter(Http1Exchange ex, boolean head) throws IOException {
        RequestCtx ctx = ex.ctx;
        boolean chunked = ctx.request.header().isHttp11();
        processor.writer().writeHeader(ctx.response, chunked ? ResponseWriter.CHUNKED : ResponseWriter.UNTIL_CLOSE, ex.out);
        if (head) return true;
        ChunkedBodyWriter body = new ChunkedBodyWriter(ex, chunked);
        try {
            ctx.bodyStreamWriter.write(body);
        } catch (IOException | RuntimeException e) {
            // The status line is gone already: all we can do is end the connection, so the client sees a truncated body.
            LOG.log(Level.WARNING, () -> "body stream writer failed for " + ctx, e);
            ex.flush();
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
    private static final class ChunkedBodyWriter extends ChunkedWriter {
        private final Http1Exchange ex;

        ChunkedBodyWriter(Http1Exchange ex, boolean chunked) {
            super(ex.out, ex.streamBuffer(), ex.ctx.response.trailers(), chunked, STREAM_CHUNK);
            this.ex = ex;
        }

        @Override
        protected void writeOut() throws IOException {
            ex.flush();
        }

        /** Frames the rest and the last chunk, and sends them. */
        @Override
        public void finish() throws IOException {
            super.finish();
            writeOut();
        }
    }
}
