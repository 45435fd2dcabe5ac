package io.fasthttp4j.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void reservesUpToTheLimitAndNoFurther() {
        MemoryBudget budget = new MemoryBudget("maxTest", 100, null);
        assertTrue(budget.tryReserve(60));
        assertTrue(budget.tryReserve(40));
        assertFalse(budget.tryReserve(1));
        assertEquals(100, budget.used());
        budget.release(100);
        assertEquals(0, budget.used());
    }

    @Test
    void neverCountsBelowZero() {
        MemoryBudget budget = new MemoryBudget("maxTest", 100, null);
        budget.tryReserve(10);
        budget.release(25);   // a bug elsewhere: logged, and the count stops at 0
        assertEquals(0, budget.used());
        assertThrows(IllegalArgumentException.class, () -> budget.release(-1));
        assertThrows(IllegalArgumentException.class, () -> budget.tryReserve(-1));
    }

    @Test
    void reclaimsOnceBeforeRefusing() {
        AtomicInteger reclaims = new AtomicInteger();
        MemoryBudget[] self = new MemoryBudget[1];
        self[0] = new MemoryBudget("maxTest", 100, () -> {
            reclaims.incrementAndGet();
            self[0].release(50);   // e.g. a pool dropping its idle objects
        });
        assertTrue(self[0].tryReserve(100));
        assertTrue(self[0].tryReserve(30), "fits once the reclaim gave back 50");
        assertEquals(1, reclaims.get());
        assertEquals(80, self[0].used());
        assertFalse(self[0].tryReserve(1000));
        assertEquals(2, reclaims.get());
        assertEquals(30, self[0].used(), "a refused reservation charges nothing");
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws InterruptedException {
        MemoryBudget budget = new MemoryBudget("maxTest", 10_000, null);
        AtomicLong peak = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (budget.tryReserve(700)) {
                        peak.accumulateAndGet(budget.used(), Math::max);
                        budget.release(700);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertEquals(0, budget.used());
        assertTrue(peak.get() <= 10_000, "peak " + peak.get());
    }

    @Test
    void bufferChargesItsGrowthAndGivesItBackWhenTrimmedOrDetached() {
        MemoryBudget budget = new MemoryBudget("maxTest", 1 << 20, null);
        ByteBuf buf = new ByteBuf(16);
        buf.setBudget(budget, 0, "body");
        buf.append(new byte[10]);
        assertEquals(0, budget.used(), "the capacity it had when the budget was set is free");
        buf.append(new byte[100_000]);
        assertEquals(buf.capacity() - 16, budget.used());
        assertEquals(budget.used(), buf.charged());
        buf.reset();
        assertEquals(buf.capacity() - 16, budget.used(), "an emptied buffer still holds its array");
        buf.trimTo(64 * 1024);
        assertEquals(4096 - 16, budget.used());
        buf.setBudget(null, 0, null);
        assertEquals(0, budget.used());
        assertEquals(0, buf.charged());
    }

    @Test
    void bufferThatMayNotGrowKeepsItsContentAndChargesNothing() {
        MemoryBudget budget = new MemoryBudget("maxBufferedBodyBytes", 1000, null);
        ByteBuf buf = new ByteBuf(0);
        buf.setBudget(budget, 0, "request body");
        buf.append(new byte[]{1, 2, 3});
        long before = budget.used();
        var e = assertThrows(BudgetExceededException.class, () -> buf.append(new byte[5000]));
        assertTrue(e.getMessage().startsWith("request body would exceed maxBufferedBodyBytes=1000"), e.getMessage());
        assertEquals(before, budget.used());
        assertArrayEquals(new byte[]{1, 2, 3}, buf.toBytes());
    }

    @Test
    void capacityUpToTheFreeBytesIsNotCharged() {
        MemoryBudget budget = new MemoryBudget("maxTest", 1 << 20, null);
        ByteBuf buf = new ByteBuf(0);
        buf.setBudget(budget, 4096, "body");
        buf.setLength(4000);
        assertEquals(0, budget.used());
        buf.setLength(5000);
        assertEquals(buf.capacity() - 4096, budget.used());
        buf.trimTo(4096);
        assertEquals(0, budget.used());
    }

    @Test
    void twoBuffersShareOneBudget() {
        MemoryBudget budget = new MemoryBudget("maxTest", 10_000, null);
        ByteBuf a = new ByteBuf(0);
        ByteBuf b = new ByteBuf(0);
        a.setBudget(budget, 0, "a");
        b.setBudget(budget, 0, "b");
        a.setLength(6000);
        assertThrows(BudgetExceededException.class, () -> b.setLength(6000));
        a.setBudget(null, 0, null);
        b.setLength(6000);
        assertEquals(b.capacity(), budget.used());
    }
}
