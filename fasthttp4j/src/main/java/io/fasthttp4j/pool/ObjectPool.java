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
 */
public final class ObjectPool<T> {
    private static final System.Logger LOG = System.getLogger(ObjectPool.class.getName());

    private final String name;
    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private final Object[] idle;
    private int size;                                   // guarded by this
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
        this.name = name;
        this.factory = factory;
        this.reset = reset;
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
            return;
        }
        reset.accept(t);
        synchronized (this) {
            if (size < idle.length) idle[size++] = t;
        }
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
