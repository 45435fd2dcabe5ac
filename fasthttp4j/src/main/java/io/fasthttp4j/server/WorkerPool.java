package io.fasthttp4j.server;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * fasthttp's worker pool: connections are handed to idle workers, the most recently used first
 * (its context and buffers are warm), at most {@code maxWorkers} busy at once; a connection that
 * finds them all busy is refused, never queued. Idle workers retire after {@code maxIdleNanos}.
 * This is the only place that knows how connections reach workers.
 */
final class WorkerPool {
    private final Consumer<ServerConn> serveConn;
    private final ThreadFactory threadFactory;
    private final int maxWorkers;
    private final long maxIdleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private Worker[] ready = new Worker[64];   // guarded by lock; a stack, most recently used on top
    private int readyCount;                    // guarded by lock
    private int workerCount;                   // guarded by lock
    private boolean stopped;                   // guarded by lock

    WorkerPool(Consumer<ServerConn> serveConn, ThreadFactory threadFactory, int maxWorkers, long maxIdleNanos) {
        this.serveConn = serveConn;
        this.threadFactory = threadFactory;
        this.maxWorkers = maxWorkers;
        this.maxIdleNanos = maxIdleNanos;
    }

    /** Hands {@code conn} to a worker; false when {@code maxWorkers} are busy or the pool is stopped. */
    boolean serve(ServerConn conn) {
        Worker worker = null;
        lock.lock();
        try {
            if (stopped) return false;
            if (readyCount > 0) {
                worker = ready[--readyCount];
                ready[readyCount] = null;
            } else if (workerCount < maxWorkers) {
                workerCount++;
            } else {
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (worker != null) {
            worker.handOff(conn);
            return true;
        }
        return startWorker(conn);
    }

    private boolean startWorker(ServerConn conn) {
        Worker worker = new Worker(conn);
        try {
            threadFactory.newThread(worker).start();
            return true;
        } catch (RuntimeException | OutOfMemoryError e) {
            exited();
            throw e;
        }
    }

    /** Busy workers: connections being served now. */
    int busyCount() {
        lock.lock();
        try {
            return workerCount - readyCount;
        } finally {
            lock.unlock();
        }
    }

    /** Retires workers idle for longer than the limit; oldest first, from the bottom of the stack. */
    void retireIdle(long nowNanos) {
        int retire = 0;
        Worker[] retired = null;
        lock.lock();
        try {
            while (retire < readyCount && nowNanos - ready[retire].lastUseNanos > maxIdleNanos) retire++;
            if (retire == 0) return;
            retired = java.util.Arrays.copyOf(ready, retire);
            System.arraycopy(ready, retire, ready, 0, readyCount - retire);
            java.util.Arrays.fill(ready, readyCount - retire, readyCount, null);
            readyCount -= retire;
        } finally {
            lock.unlock();
        }
        for (Worker w : retired) w.stop();
    }

    /** Stops the pool: idle workers exit now, busy ones when their connection ends. */
    void stop() {
        Worker[] idle;
        lock.lock();
        try {
            stopped = true;
            idle = java.util.Arrays.copyOf(ready, readyCount);
            java.util.Arrays.fill(ready, null);
            readyCount = 0;
        } finally {
            lock.unlock();
        }
        for (Worker w : idle) w.stop();
    }

    /** Puts {@code worker} back on top of the stack; false when it should exit instead. */
    private boolean release(Worker worker) {
        worker.lastUseNanos = System.nanoTime();
        lock.lock();
        try {
            if (stopped) return false;
            if (readyCount == ready.length) ready = java.util.Arrays.copyOf(ready, ready.length * 2);
            ready[readyCount++] = worker;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void exited() {
        lock.lock();
        try {
            workerCount--;
        } finally {
            lock.unlock();
        }
    }

    /** A thread that serves one connection after another, parking in between. */
    private final class Worker implements Runnable {
        private volatile ServerConn next;
        private volatile boolean stop;
        private volatile Thread thread;
        long lastUseNanos;   // written by the worker before release, read under lock

        Worker(ServerConn first) {
            next = first;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            try {
                for (ServerConn conn = take(); conn != null; conn = take()) {
                    try {
                        serveConn.accept(conn);
                    } catch (Throwable t) {
                        // serveConn handles its own failures; this only keeps a worker alive past a bug
                        Server.ERRORS.log(System.Logger.Level.ERROR, "worker", "worker failed serving a connection", t);
                    }
                    if (!release(this)) return;
                }
            } finally {
                exited();
            }
        }

        /** Waits for the next connection; null when told to stop. */
        private ServerConn take() {
            while (true) {
                ServerConn conn = next;
                if (conn != null) {
                    next = null;
                    return conn;
                }
                if (stop) return null;
                LockSupport.park(this);
            }
        }

        void handOff(ServerConn conn) {
            next = conn;
            LockSupport.unpark(thread);
        }

        void stop() {
            stop = true;
            LockSupport.unpark(thread);
        }
    }
}
