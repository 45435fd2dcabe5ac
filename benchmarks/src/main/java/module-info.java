/**
 * JMH benchmarks of fasthttp4j against peers measured in the same run. Compiled as a module to check
 * what it uses; run from the shaded benchmarks.jar on the class path (no module-info there). The
 * codec package it measures is not exported: pom.xml adds that export for this compile only.
 */
module io.fasthttp4j.benchmarks {
    requires io.fasthttp4j;
    requires jmh.core;                 // automatic module (jmh-core 1.37 has no descriptor)
    requires io.netty.codec.http;
    requires io.netty.codec;           // the netty-codec-base jar in 4.2
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.common;
    requires jdk.management;           // ConnectionLoopCpu: thread CPU time and allocation

    opens io.fasthttp4j.benchmarks;
    opens io.fasthttp4j.benchmarks.jmh_generated;   // written by JMH's annotation processor
}
