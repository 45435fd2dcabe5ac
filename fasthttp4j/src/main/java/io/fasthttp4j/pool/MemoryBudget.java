package io.fasthttp4j.pool;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A limit on the bytes a group of buffers may hold together: a server charges every
 * {@link ByteBuf} a client can make it grow (request and response bodies, output buffers) to one
 * budget, so that many connections cannot together exhaust the heap. A buffer reserves before it
 * grows and gives back when it shrinks or is dropped ({@link ByteBuf#setBudget}).
 *
 * <p>When a reservation does not fit, the budget first runs its {@code reclaim} action once (a
 * server drops the idle contexts it pools, whose arrays are charged too), then tries again; past
 * that the buffer throws {@link BudgetExceededException}. Thread-safe; a reservation is one
 * compare-and-set, and only growth reserves, so a buffer that has reached its size costs nothing.
 */
public final class MemoryBudget {
    private static final System.Logger LOG = System.getLogger(MemoryBudget.class.getName());

    private final String name;
    private final long limit;
    private final Runnable reclaim;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param name    the setting that sets the limit, for messages ("maxBufferedBodyBytes")
     * @param limit   most bytes charged at once, at least 1
     * @param reclaim run once when a reservation does not fit, before it fails; null for none
     */
    public MemoryBudget(String name, long limit, Runnable reclaim) {
        if (limit < 1) throw new IllegalArgumentException(name + " must be at least 1, was " + limit);
        this.name = name;
        this.limit = limit;
        this.reclaim = reclaim;
    }

    /** Charges {@code bytes}; false, with nothing charged, when they do not fit even after reclaiming. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative reservation " + bytes);
        if (reserve(bytes)) return true;
        if (reclaim == null) return false;
        reclaim.run();
        return reserve(bytes);
    }

    private boolean reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) return false;
            if (used.compareAndSet(now, now + bytes)) return true;
        }
    }

    /** Charges {@code bytes} or throws {@link BudgetExceededException} naming the limit. */
    public void reserve(long bytes, String what) {
        if (!tryReserve(bytes)) throw new BudgetExceededException(this, bytes, what);
    }

    /** Gives back {@code bytes} charged earlier. More than is charged is a bug: logged, and the count stops at 0. */
    public void release(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative release " + bytes);
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            used.accumulateAndGet(0, Math::max);
            LOG.log(Level.ERROR, "{0}: {1} bytes released that were never charged; count reset to 0", name, -after);
        }
    }

    /** Bytes charged now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    /** The setting that sets the limit ("maxBufferedBodyBytes"). */
    public String name() {
        return name;
    }
}
