/** JMH benchmarks of fasthttp4j against peers measured in the same run. */
module io.fasthttp4j.benchmarks {
    requires io.fasthttp4j;
    requires jmh.core;
    requires io.netty.codec.http;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.common;
    requires io.netty.codec;

    opens io.fasthttp4j.benchmarks;
    opens io.fasthttp4j.benchmarks.jmh_generated;
}
