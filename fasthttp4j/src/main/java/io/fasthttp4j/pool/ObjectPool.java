package io.fasthttp4j.pool;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded LIFO pool: the most recently released object is handed out first, because its arrays are
 * the warmest in the CPU caches. {@code acquire} creates an object when the pool is empty;
 * {@code release} resets it and keeps it unless the pool is full. Thread-safe; the lock is held only
 * for a push or a pop, never across I/O.
 *
 * <p>Every object must be released exactly once. {@link #outstanding()} counts objects acquired and
 * not yet released, which tests assert is zero after a server closes. With {@code checked} set, the
 * pool also remembers what it handed out: a second release, or the release of a stranger, throws
 * {@link IllegalStateException} (tests); otherwise it is logged and ignored (production).
 *
 * <p>The pool gives memory back when load ends, as Go's {@code sync.Pool} does at each GC: its owner
 * calls {@link #trim()} periodically, and every object that stayed idle through a whole period (the
 * fewest idle objects seen since the last trim) is dropped, the coldest first. Under steady load the
 * pool keeps what the load uses; a minute after a peak it holds nothing. Dropped objects, here and
 * when the pool is full, go to {@code dispose}, so that what they hold (a budget's charge) is given back.
 */
public final class ObjectPool<T> {
    private static final System.Logger LOG = System.getLogger(ObjectPool.class.getName());

    private final String name;
    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private final Consumer<T> dispose;
    private final Object[] idle;
    private int size;                                   // guarded by this
    private int lowWater;                                // guarded by this; fewest idle since the last trim
    private final AtomicLong outstanding = new AtomicLong();
    private final Set<T> handedOut;                     // only when checked; guarded by itself

    /**
     * @param name     what the pool holds, for messages ("RequestCtx")
     * @param capacity most idle objects kept
     * @param factory  creates an object when the pool is empty
     * @param reset    readies a released object for reuse
     * @param checked  remember handed-out objects and fail on a double release (costs a set operation)
     */
    public ObjectPool(String name, int capacity, Supplier<T> factory, Consumer<T> reset, boolean checked) {
        this(name, capacity, factory, reset, t -> { }, checked);
    }

    /**
     * @param dispose told of each object the pool drops (full, trimmed or drained) or {@link #discard}s,
     *                after its reset; gives back what the object holds
     */
    public ObjectPool(String name, int capacity, Supplier<T> factory, Consumer<T> reset, Consumer<T> dispose, boolean checked) {
        this.name = name;
        this.factory = factory;
        this.reset = reset;
        this.dispose = dispose;
        this.idle = new Object[capacity];
        this.handedOut = checked ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
    }

    /** Returns an idle object, or a new one. */
    @SuppressWarnings("unchecked")
    public T acquire() {
        T t = null;
        synchronized (this) {
            if (size > 0) {
                t = (T) idle[--size];
                idle[size] = null;
                if (size < lowWater) lowWater = size;
            }
        }
        if (t == null) t = factory.get();
        outstanding.incrementAndGet();
        if (handedOut != null) {
            synchronized (handedOut) {
                handedOut.add(t);
            }
        }
        return t;
    }

    /** Resets {@code t} and keeps it for reuse (dropped if the pool is full). */
    public void release(T t) {
        if (!count(t)) return;
        reset.accept(t);
        boolean kept = false;
        synchronized (this) {
            if (size < idle.length) {
                idle[size++] = t;
                kept = true;
            }
        }
        if (!kept) dispose.accept(t);
    }

    /** Releases {@code t} without keeping it: counted as a release, reset, then disposed. */
    public void discard(T t) {
        if (!count(t)) return;
        reset.accept(t);
        dispose.accept(t);
    }

    /** Counts {@code t} back in; false when the release is refused (logged: released more often than acquired). */
    private boolean count(T t) {
        if (handedOut != null) {
            boolean known;
            synchronized (handedOut) {
                known = handedOut.remove(t);
            }
            if (!known) throw new IllegalStateException(name + " released twice, or never acquired from this pool");
        }
        if (outstanding.decrementAndGet() < 0) {
            outstanding.incrementAndGet();
            LOG.log(Level.ERROR, "{0} released more often than acquired; ignored", name);
            return false;
        }
        return true;
    }

    /**
     * Drops the objects that stayed idle since the last trim (the coldest, at the bottom of the stack)
     * and starts a new period. Returns how many were dropped. Call it periodically, e.g. from a sweeper.
     */
    public int trim() {
        Object[] dropped;
        synchronized (this) {
            int n = lowWater;
            lowWater = size - n;
            if (n == 0) return 0;
            dropped = java.util.Arrays.copyOf(idle, n);
            System.arraycopy(idle, n, idle, 0, size - n);
            java.util.Arrays.fill(idle, size - n, size, null);
            size -= n;
        }
        disposeAll(dropped);
        return dropped.length;
    }

    /** Drops every idle object now (memory is short). Returns how many were dropped. */
    public int drain() {
        Object[] dropped;
        synchronized (this) {
            dropped = java.util.Arrays.copyOf(idle, size);
            java.util.Arrays.fill(idle, 0, size, null);
            size = 0;
            lowWater = 0;
        }
        disposeAll(dropped);
        return dropped.length;
    }

    @SuppressWarnings("unchecked")
    private void disposeAll(Object[] dropped) {
        for (Object o : dropped) dispose.accept((T) o);
    }

    /** Objects acquired and not yet released. */
    public long outstanding() {
        return outstanding.get();
    }

    /** Idle objects held now. */
    public synchronized int idleCount() {
        return size;
    }

    public String name() {
        return name;
    }
}
