package io.fasthttp4j.client;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread per client that enforces deadlines: every {@value #TICK_MILLIS} ms it closes
 * connections whose read, write or dial deadline has passed (the blocked caller then fails with a
 * timeout) and idle connections past their age limits. It runs only while some pool has a
 * connection, and starts again with the next dial, so an unused client holds no thread.
 */
final class Sweeper {
    /** What the sweeper visits: a host's connections ({@link ConnPool}, {@link PipelineClient}). */
    interface Swept {
        /** Closes the connections that are overdue; returns the number still counted. Runs on the sweeper's thread. */
        int sweep(long now);

        boolean isClosed();

        /** Open connections plus those being dialed. */
        int connsCount();
    }

    /** How often deadlines are checked: a timeout fires up to this late. */
    static final long TICK_MILLIS = 10;
    private static final int IDLE_TICKS_BEFORE_EXIT = 100;

    private final String name;
    private final CopyOnWriteArrayList<Swept> pools = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean running;   // guarded by lock

    Sweeper(String name) {
        this.name = name;
    }

    void register(Swept pool) {
        pools.addIfAbsent(pool);
    }

    void unregister(Swept pool) {
        pools.remove(pool);
    }

    /** Starts the thread if it is not running; called before each dial. */
    void ensureRunning() {
        lock.lock();
        try {
            if (running) return;
            running = true;
            Thread.ofPlatform().name(name).daemon().start(this::run);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        int idleTicks = 0;
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                stopped();
                return;
            }
            int conns = sweepOnce(System.nanoTime());
            idleTicks = conns == 0 ? idleTicks + 1 : 0;
            if (idleTicks >= IDLE_TICKS_BEFORE_EXIT && stopIfStillIdle()) return;
        }
    }

    /** One pass over every pool; returns the connections still counted. */
    int sweepOnce(long now) {
        int conns = 0;
        for (Swept pool : pools) {
            int n = pool.sweep(now);
            if (n == 0 && pool.isClosed()) pools.remove(pool);
            conns += n;
        }
        return conns;
    }

    // Under the lock, so that a dial that calls ensureRunning() either sees running=false or is seen here.
    private boolean stopIfStillIdle() {
        lock.lock();
        try {
            for (Swept pool : pools) if (pool.connsCount() > 0) return false;
            running = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void stopped() {
        lock.lock();
        try {
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
