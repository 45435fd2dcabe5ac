package io.fasthttp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** fasthttp's worker pool: most recently used worker first, a hard limit, idle workers retire by the clock given. */
class WorkerPoolTest {
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static ServerConn conn(long id) {
        return new ServerConn(new io.fasthttp4j.internal.io.PlainChannel(null, null), id, null, null, null);   // the recording pool never touches its channel
    }

    /** A pool whose "serving" records the serving thread and returns at once (or waits for {@code gate}). */
    private static final class Recording {
        final List<Thread> servedBy = new CopyOnWriteArrayList<>();
        final AtomicInteger threads = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch served = new CountDownLatch(0);
        final WorkerPool pool = new WorkerPool(c -> {
            servedBy.add(Thread.currentThread());
            served.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, r -> {
            threads.incrementAndGet();
            return Thread.ofVirtual().unstarted(r);
        }, 2, IDLE_NANOS);

        void serveAndWait(ServerConn c) throws InterruptedException {
            served = new CountDownLatch(1);
            assertTrue(pool.serve(c));
            assertTrue(served.await(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pool.busyCount() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        }
    }

    @Test
    @Timeout(10)
    void reusesTheMostRecentlyUsedWorker() throws InterruptedException {
        Recording r = new Recording();
        r.serveAndWait(conn(1));
        r.serveAndWait(conn(2));
        r.serveAndWait(conn(3));
        assertEquals(1, r.threads.get(), "one idle worker serves one connection after another");
        assertEquals(r.servedBy.get(0), r.servedBy.get(2));
        r.pool.stop();
    }

    @Test
    @Timeout(10)
    void refusesAConnectionWhenEveryWorkerIsBusy() throws InterruptedException {
        Recording r = new Recording();
        r.gate = new CountDownLatch(1);
        r.served = new CountDownLatch(2);
        assertTrue(r.pool.serve(conn(1)));
        assertTrue(r.pool.serve(conn(2)));
        assertTrue(r.served.await(5, TimeUnit.SECONDS));
        assertFalse(r.pool.serve(conn(3)), "maxWorkers=2 are busy: refused, never queued");
        assertEquals(2, r.pool.busyCount());
        r.gate.countDown();
        r.pool.stop();
    }

    @Test
    @Timeout(10)
    void retiresWorkersIdleLongerThanTheLimitByTheClockGiven() throws InterruptedException {
        Recording r = new Recording();
        r.serveAndWait(conn(1));
        long now = System.nanoTime();
        r.pool.retireIdle(now);
        r.serveAndWait(conn(2));
        assertEquals(1, r.threads.get(), "not idle long enough: kept");
        r.pool.retireIdle(System.nanoTime() + IDLE_NANOS + 1);
        r.serveAndWait(conn(3));
        assertEquals(2, r.threads.get(), "the retired worker was replaced by a new one");
        r.pool.stop();
    }

    @Test
    @Timeout(10)
    void aStoppedPoolRefusesConnections() {
        Recording r = new Recording();
        r.pool.stop();
        assertFalse(r.pool.serve(conn(1)));
    }
}
