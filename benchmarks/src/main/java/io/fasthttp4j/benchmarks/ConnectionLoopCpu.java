package io.fasthttp4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link ConnectionLoopBenchmark}'s workload timed by the serving thread's CPU time instead of wall
 * time: on a shared machine another process's time slices inflate JMH's ns/op but not this. Prints
 * the minimum and median over rounds of 2,000 connections of 1,000 requests each, and the bytes
 * the thread allocated per request.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.fasthttp4j.benchmarks.ConnectionLoopCpu wrk,browserish 16,1}</pre>
 */
public final class ConnectionLoopCpu {
    private ConnectionLoopCpu() {
    }

    public static void main(String[] args) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] shapes = (args.length > 0 ? args[0] : "wrk,browserish").split(",");
        String[] perReads = (args.length > 1 ? args[1] : "16,1").split(",");
        int rounds = 15;
        int connections = 2000;
        for (String shape : shapes) {
            for (String perRead : perReads) {
                ConnectionLoopBenchmark b = new ConnectionLoopBenchmark();
                b.perRead = Integer.parseInt(perRead);
                b.shape = shape;
                b.start();
                for (int i = 0; i < 3000; i++) b.serveConnection();   // warm-up: JIT and buffer growth
                double[] nanos = new double[rounds];
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                for (int r = 0; r < rounds; r++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (int c = 0; c < connections; c++) b.serveConnection();
                    nanos[r] = (threads.getCurrentThreadCpuTime() - t0) / ((double) connections * ConnectionLoopBenchmark.REQUESTS);
                }
                double bytes = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore)
                        / ((double) rounds * connections * ConnectionLoopBenchmark.REQUESTS);
                b.stop();
                Arrays.sort(nanos);
                System.out.printf("%-10s perRead=%-2s CPU ns/request: min %.1f, median %.1f; B/request %.3f%n",
                        shape, perRead, nanos[0], nanos[rounds / 2], bytes);
            }
        }
    }
}
