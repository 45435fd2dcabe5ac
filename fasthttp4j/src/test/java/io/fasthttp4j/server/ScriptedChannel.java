package io.fasthttp4j.server;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A connection that never blocks: each read returns the next batch of request bytes (the same
 * batch, {@code batches} times, then end of stream); writes are counted and dropped. Lets a test or
 * benchmark drive the whole connection loop on its own thread, so that the thread's allocation
 * counter sees exactly what serving costs.
 */
public final class ScriptedChannel implements ByteChannel {
    private final byte[] batch;
    private long batchesLeft;
    private int pos;
    private long written;
    private boolean open = true;

    public ScriptedChannel(byte[] batch, long batches) {
        this.batch = batch;
        this.batchesLeft = batches;
    }

    /** Starts over with {@code batches} more batches. */
    public void rewind(long batches) {
        batchesLeft = batches;
        pos = 0;
        written = 0;
        open = true;
    }

    public long written() {
        return written;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (pos == batch.length) {
            if (--batchesLeft <= 0) return -1;
            pos = 0;
        }
        int n = Math.min(dst.remaining(), batch.length - pos);
        dst.put(batch, pos, n);
        pos += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        written += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
