package io.fasthttp4j.bench.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every client the benchmark knows, by the name run.sh passes; in the order of the report. */
final class Contenders {
    private Contenders() {
    }

    static final Map<String, Contender.Factory> ALL = all();

    private static Map<String, Contender.Factory> all() {
        Map<String, Contender.Factory> all = new LinkedHashMap<>();
        all.put("fasthttp4j", Fasthttp4jContender::hostClient);
        all.put("fasthttp4j-pipeline", Fasthttp4jContender::pipelineClient);
        all.put("jdk", JdkContender::new);
        all.put("apache", ApacheContender::new);
        all.put("okhttp", OkHttpContender::new);
        all.put("jetty", JettyContender::new);
        return all;
    }
}
