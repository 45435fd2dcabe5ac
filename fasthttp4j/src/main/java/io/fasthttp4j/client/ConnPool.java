package io.fasthttp4j.client;

import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A host's connections: a LIFO stack of idle ones (the most recently used is the warmest, and the
 * oldest idle ones at the bottom expire first) and a count of all, capped at {@code maxConns}. A
 * caller that finds every connection busy waits up to {@code maxConnWaitTimeout} for one to come free.
 * Thread-safe; {@link #lock} is held for pushes, pops and counts, never across I/O (closing included).
 * The sweeper takes the lock only when an idle connection has expired: a caller that found it held
 * would queue on it, and queueing on a {@code ReentrantLock} allocates a node.
 */
final class ConnPool implements Sweeper.Swept {
    private final String name;
    private final int maxConns;
    private final long maxIdleNanos;
    private final long maxLifetimeNanos;     // 0: unlimited
    private final long maxWaitNanos;         // 0: fail at once

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private ClientConn[] idle = new ClientConn[16];            // guarded by lock; idle[idleCount - 1] is the top
    private int idleCount;                                     // guarded by lock
    private final CopyOnWriteArrayList<ClientConn> open = new CopyOnWriteArrayList<>();   // changed under lock; read by the sweeper without it
    private volatile int connsCount;                           // written under lock: open ones plus those being dialed
    private volatile boolean closed;                           // written under lock

    private ClientConn[] sweepScratch = new ClientConn[16];    // the sweeper's thread only

    ConnPool(String name, int maxConns, long maxIdleNanos, long maxLifetimeNanos, long maxWaitNanos) {
        this.name = name;
        this.maxConns = maxConns;
        this.maxIdleNanos = maxIdleNanos;
        this.maxLifetimeNanos = maxLifetimeNanos;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Returns the most recently used idle connection, or null when the caller may dial a new one (it
     * is counted already: call {@link #dialed} or {@link #dialFailed} next). Waits while all
     * {@code maxConns} are busy, up to {@code maxConnWaitTimeout} and the call's deadline (0: none).
     */
    ClientConn acquire(long deadlineNanos) throws HttpClientException {
        long now = System.nanoTime();
        long waitUntil = now + maxWaitNanos;
        if (deadlineNanos != 0 && deadlineNanos - waitUntil < 0) waitUntil = deadlineNanos;
        while (true) {
            ClientConn stale;
            lock.lock();
            try {
                if (closed) throw new HttpClientException.ConnectionClosed("client for " + name + " is closed", null);
                while (idleCount == 0 && connsCount >= maxConns) {
                    long left = waitUntil - System.nanoTime();
                    if (left <= 0 || maxWaitNanos == 0) throw noFreeConnections(deadlineNanos);
                    freed.awaitNanos(left);
                }
                if (idleCount == 0) {
                    connsCount++;
                    return null;
                }
                stale = idle[--idleCount];
                idle[idleCount] = null;
                if (!isStale(stale, now)) return stale;
                forget(stale);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpClientException.NoFreeConnections("interrupted while waiting for a connection to " + name);
            } finally {
                lock.unlock();
            }
            stale.close();   // outside the lock, then try again
        }
    }

    private HttpClientException noFreeConnections(long deadlineNanos) {
        if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0) {
            return new HttpClientException.Timeout("timed out waiting for a free connection to " + name);
        }
        return new HttpClientException.NoFreeConnections("all maxConns=" + maxConns + " connections to " + name
                + " are busy" + (maxWaitNanos == 0 ? "" : " after waiting maxConnWaitTimeout=" + maxWaitNanos / 1_000_000 + "ms"));
    }

    private boolean isStale(ClientConn conn, long now) {
        return !conn.isOpen() || now - conn.lastUsedNanos > maxIdleNanos
                || (maxLifetimeNanos > 0 && now - conn.createdNanos > maxLifetimeNanos);
    }

    /** A new connection, counted by {@link #acquire}, is open. */
    void dialed(ClientConn conn) {
        lock.lock();
        try {
            open.add(conn);
        } finally {
            lock.unlock();
        }
    }

    /** Dialing failed: gives back the count {@link #acquire} took. */
    void dialFailed() {
        lock.lock();
        try {
            connsCount--;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a connection back: onto the idle stack when {@code reusable}, the pool is open and the
     * connection has not outlived {@code maxConnDuration}; closed otherwise.
     */
    void release(ClientConn conn, boolean reusable) {
        long now = System.nanoTime();
        boolean keep;
        lock.lock();
        try {
            keep = reusable && !closed && conn.isOpen() && (maxLifetimeNanos == 0 || now - conn.createdNanos < maxLifetimeNanos);
            if (keep) {
                conn.lastUsedNanos = now;
                if (idleCount == idle.length) idle = Arrays.copyOf(idle, idle.length * 2);
                idle[idleCount++] = conn;
            } else {
                forget(conn);
            }
            freed.signal();
        } finally {
            lock.unlock();
        }
        if (!keep) conn.close();
    }

    // guarded by lock
    private void forget(ClientConn conn) {
        open.remove(conn);
        connsCount--;
    }

    /**
     * Closes busy connections past their deadline and idle ones past {@code maxIdleConnDuration} or
     * {@code maxConnDuration}; runs on the sweeper's thread. Returns the number still counted.
     */
    @Override
    public int sweep(long now) {
        for (ClientConn conn : open) conn.expireIfOverdue(now);
        if (mayHaveStaleIdle(now)) closeStaleIdle(now);
        return connsCount;
    }

    // A racy read of the stack, as a hint only: closeStaleIdle decides again under the lock.
    private boolean mayHaveStaleIdle(long now) {
        ClientConn[] stack = idle;
        int n = Math.min(idleCount, stack.length);
        for (int i = 0; i < n; i++) {
            ClientConn c = stack[i];
            if (c != null && isStale(c, now)) return true;
        }
        return false;
    }

    private void closeStaleIdle(long now) {
        int expired = 0;
        lock.lock();
        try {
            if (sweepScratch.length < idleCount) sweepScratch = new ClientConn[Math.max(16, 2 * idleCount)];
            int kept = 0;
            for (int i = 0; i < idleCount; i++) {   // bottom up: the oldest first
                ClientConn c = idle[i];
                if (isStale(c, now)) {
                    forget(c);
                    sweepScratch[expired++] = c;
                } else {
                    idle[kept++] = c;
                }
            }
            Arrays.fill(idle, kept, idleCount, null);
            idleCount = kept;
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < expired; i++) {
            sweepScratch[i].close();
            sweepScratch[i] = null;
        }
    }

    /** Closes every idle connection now; busy ones stay. Returns how many were closed. */
    int closeIdle() {
        ClientConn[] toClose;
        lock.lock();
        try {
            toClose = Arrays.copyOf(idle, idleCount);
            for (int i = 0; i < idleCount; i++) forget(idle[i]);
            Arrays.fill(idle, 0, idleCount, null);
            idleCount = 0;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        for (ClientConn c : toClose) c.close();
        return toClose.length;
    }

    /** Closes idle connections and refuses new calls; busy connections close when they come back. */
    void close() {
        lock.lock();
        try {
            closed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
        closeIdle();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Open connections plus those being dialed. */
    @Override
    public int connsCount() {
        return connsCount;
    }

    int idleCount() {
        lock.lock();
        try {
            return idleCount;
        } finally {
            lock.unlock();
        }
    }
}
