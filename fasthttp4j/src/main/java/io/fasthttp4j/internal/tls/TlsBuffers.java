package io.fasthttp4j.internal.tls;

import io.fasthttp4j.pool.ObjectPool;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;

/**
 * The server's pool of TLS network and plaintext buffers, one record each: a connection takes up to
 * three while bytes are in flight and gives them back when it goes idle, so a keep-alive request does
 * not allocate 48 KiB of buffers and an idle connection holds none. LIFO and trimmed like the other
 * pools ({@link ObjectPool}); thread-safe.
 */
public final class TlsBuffers {
    /** Most idle buffers kept (16 MiB of about 16 KiB buffers). */
    static final int CAPACITY = 1024;

    private final int bufferBytes;
    private final ObjectPool<ByteBuffer> pool;

    /** Buffers large enough for one record of the sessions {@code sample}'s configuration makes, and for its plaintext. */
    public TlsBuffers(SSLEngine sample) {
        this(Math.max(sample.getSession().getPacketBufferSize(), sample.getSession().getApplicationBufferSize()));
    }

    TlsBuffers(int bufferBytes) {
        this.bufferBytes = bufferBytes;
        this.pool = new ObjectPool<>("TLS buffer", CAPACITY, () -> ByteBuffer.allocate(bufferBytes), ByteBuffer::clear, false);
    }

    /** An empty buffer (in write mode) of at least {@code bytes}: a pooled one when that size fits. */
    ByteBuffer acquire(int bytes) {
        return bytes <= bufferBytes ? pool.acquire() : ByteBuffer.allocate(bytes);
    }

    /** Gives back a buffer from {@link #acquire}; one that did not come from the pool is dropped. */
    void release(ByteBuffer buffer) {
        if (buffer.capacity() == bufferBytes) pool.release(buffer);
    }

    /** Drops the buffers idle since the last call (the sweeper's period). */
    public void trim() {
        pool.trim();
    }

    /** Drops every idle buffer. */
    public void drain() {
        pool.drain();
    }

    /** Buffers taken and not given back. */
    public long outstanding() {
        return pool.outstanding();
    }
}
