package io.fasthttp4j.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The calls a {@link PipelineClient} has queued and no writer has taken yet: a bounded FIFO for many
 * producers (callers) and many consumers (the connections' writers), lock-free and allocation-free.
 * It is D. Vyukov's bounded array queue: each slot carries a sequence number that says whose turn it
 * is, a producer may fill slot {@code pos & mask} when its sequence is {@code pos}, a consumer may
 * empty it when it is {@code pos + 1}. A queue shared by all connections means a dead connection
 * leaves nothing to hand over: what it had not taken is still here for the next writer.
 */
final class WorkQueue {
    private final PipelineWork[] items;        // published by sequences' release store, read after its acquire load
    private final AtomicLongArray sequences;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();   // the next position to fill
    private final AtomicLong head = new AtomicLong();   // the next position to empty

    /** A queue of at least {@code minCapacity} slots (rounded up to a power of two). */
    WorkQueue(int minCapacity) {
        int capacity = 2;
        while (capacity < minCapacity) capacity <<= 1;
        items = new PipelineWork[capacity];
        sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) sequences.set(i, i);
        mask = capacity - 1;
    }

    /**
     * Appends {@code work}; false when the slot it needs is still being emptied. The client bounds
     * the calls outstanding by the capacity, so false is transient: a consumer that claimed that slot
     * has not yet marked it free.
     */
    boolean offer(PipelineWork work) {
        long pos = tail.get();
        while (true) {
            int i = (int) pos & mask;
            long turn = sequences.getAcquire(i) - pos;
            if (turn == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    items[i] = work;
                    sequences.setRelease(i, pos + 1);
                    return true;
                }
                pos = tail.get();
            } else if (turn < 0) {
                return false;
            } else {
                pos = tail.get();
            }
        }
    }

    /** Removes and returns the oldest work, or null when there is none (or it is still being published). */
    PipelineWork poll() {
        long pos = head.get();
        while (true) {
            int i = (int) pos & mask;
            long turn = sequences.getAcquire(i) - (pos + 1);
            if (turn == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    PipelineWork work = items[i];
                    items[i] = null;
                    sequences.setRelease(i, pos + mask + 1);
                    return work;
                }
                pos = head.get();
            } else if (turn < 0) {
                return null;
            } else {
                pos = head.get();
            }
        }
    }

    /** True when nothing is queued (a racy snapshot: a volatile read of both ends). */
    boolean isEmpty() {
        return head.get() == tail.get();
    }
}
