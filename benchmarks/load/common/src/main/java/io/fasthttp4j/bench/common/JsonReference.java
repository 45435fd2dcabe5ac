package io.fasthttp4j.bench.common;

import java.io.IOException;

/**
 * Prints the expected /json/{count}?m={n} body to stdout, so that the harness can check every
 * contender (Go's included) byte for byte: {@code java -cp common.jar io.fasthttp4j.bench.common.JsonReference 5 2}.
 */
public final class JsonReference {
    private JsonReference() {
    }

    public static void main(String[] args) throws IOException {
        JsonItems.write(Integer.parseInt(args[0]), Integer.parseInt(args[1]), System.out);
        System.out.flush();
    }
}
