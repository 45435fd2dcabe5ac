package io.fasthttp4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ObjectPoolTest {
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final List<int[]> disposed = new ArrayList<>();

    private ObjectPool<int[]> pool(int capacity, boolean checked) {
        return new ObjectPool<>("int[]", capacity, () -> new int[]{created.incrementAndGet()}, a -> resets.incrementAndGet(),
                disposed::add, checked);
    }

    @Test
    void handsOutTheMostRecentlyReleasedFirst() {
        ObjectPool<int[]> pool = pool(4, true);
        int[] a = pool.acquire();
        int[] b = pool.acquire();
        pool.release(a);
        pool.release(b);
        assertSame(b, pool.acquire());
        assertSame(a, pool.acquire());
        assertEquals(2, created.get());
        assertEquals(2, pool.outstanding());
    }

    @Test
    void disposesWhatAFullPoolCannotKeep() {
        ObjectPool<int[]> pool = pool(1, false);
        int[] a = pool.acquire();
        int[] b = pool.acquire();
        pool.release(a);
        pool.release(b);
        assertEquals(List.of(b), disposed);
        assertEquals(1, pool.idleCount());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void failsOnADoubleReleaseWhenChecked() {
        ObjectPool<int[]> pool = pool(4, true);
        int[] a = pool.acquire();
        pool.release(a);
        assertThrows(IllegalStateException.class, () -> pool.release(a));
        assertThrows(IllegalStateException.class, () -> pool.discard(a));
        assertEquals(0, pool.outstanding());
    }

    @Test
    void ignoresADoubleReleaseWhenUnchecked() {
        ObjectPool<int[]> pool = pool(4, false);
        int[] a = pool.acquire();
        pool.release(a);
        pool.release(a);
        assertEquals(0, pool.outstanding());
        assertEquals(1, pool.idleCount());
    }

    @Test
    void discardCountsTheReleaseButKeepsNothing() {
        ObjectPool<int[]> pool = pool(4, true);
        int[] a = pool.acquire();
        pool.discard(a);
        assertEquals(0, pool.outstanding());
        assertEquals(0, pool.idleCount());
        assertEquals(1, resets.get());
        assertEquals(List.of(a), disposed);
    }

    @Test
    void trimDropsOnlyWhatStayedIdleThroughAWholePeriod() {
        ObjectPool<int[]> pool = pool(16, true);
        List<int[]> objects = new ArrayList<>();
        for (int i = 0; i < 6; i++) objects.add(pool.acquire());
        for (int[] o : objects) pool.release(o);   // 6 idle; the first released lies at the bottom
        assertEquals(0, pool.trim(), "the first period saw no use: its low-water mark starts at 0");

        int[] used = pool.acquire();               // the period's load: 2 taken at once, then given back
        int[] used2 = pool.acquire();
        pool.release(used2);
        pool.release(used);
        assertEquals(4, pool.trim(), "4 stayed idle all period");
        assertEquals(2, pool.idleCount());
        assertEquals(objects.subList(0, 4), disposed, "the coldest, at the bottom, go first");

        assertEquals(2, pool.trim(), "no use in the next period: the rest goes");
        assertEquals(0, pool.idleCount());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void steadyUseKeepsThePoolWarm() {
        ObjectPool<int[]> pool = pool(16, true);
        int[] a = pool.acquire();
        pool.release(a);
        pool.trim();
        for (int period = 0; period < 5; period++) {
            pool.release(pool.acquire());
            assertEquals(0, pool.trim());
        }
        assertEquals(1, created.get());
    }

    @Test
    void drainDropsEveryIdleObject() {
        ObjectPool<int[]> pool = pool(16, true);
        int[] a = pool.acquire();
        int[] b = pool.acquire();
        int[] c = pool.acquire();
        pool.release(a);
        pool.release(b);
        assertEquals(2, pool.drain());
        assertEquals(0, pool.idleCount());
        assertEquals(1, pool.outstanding());
        pool.release(c);
        assertEquals(1, pool.idleCount());
        assertTrue(disposed.contains(a) && disposed.contains(b));
    }
}
