package io.fasthttp4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory connection: a bounded ring of bytes with blocking reads and writes.
 * A lock and conditions rather than {@code synchronized}, so waiting virtual threads do not pin.
 */
final class BytePipe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final byte[] ring;
    private int head;            // guarded by lock: next byte to read
    private int size;            // guarded by lock
    private boolean writerDone;  // guarded by lock: EOF once drained
    private boolean readerDone;  // guarded by lock: writes fail

    BytePipe(int capacity) {
        ring = new byte[capacity];
    }

    /** Reads into {@code dst}; -1 at end of stream. Blocks until at least one byte is there. */
    int read(ByteBuffer dst) throws IOException {
        lock.lock();
        try {
            while (size == 0) {
                if (readerDone) throw new AsynchronousCloseException();
                if (writerDone) return -1;
                readable.awaitUninterruptibly();
            }
            if (readerDone) throw new AsynchronousCloseException();
            int n = Math.min(size, dst.remaining());
            for (int i = 0; i < n; i++) dst.put(ring[(head + i) % ring.length]);
            head = (head + n) % ring.length;
            size -= n;
            writable.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Writes all of {@code src}, blocking while the ring is full. */
    int write(ByteBuffer src) throws IOException {
        int total = src.remaining();
        lock.lock();
        try {
            while (src.hasRemaining()) {
                if (writerDone) throw new ClosedChannelException();
                if (readerDone) throw new IOException("Broken pipe: the peer closed the connection");
                if (size == ring.length) {
                    writable.awaitUninterruptibly();
                    continue;
                }
                int n = Math.min(src.remaining(), ring.length - size);
                for (int i = 0; i < n; i++) ring[(head + size + i) % ring.length] = src.get();
                size += n;
                readable.signalAll();
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** The writer is done: the reader sees end of stream after the buffered bytes. */
    void closeWrite() {
        lock.lock();
        try {
            writerDone = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reader is gone: pending and later reads and writes fail. */
    void closeRead() {
        lock.lock();
        try {
            readerDone = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
