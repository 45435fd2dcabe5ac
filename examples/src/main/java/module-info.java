/** Runnable recipes for fasthttp4j. */
module io.fasthttp4j.examples {
    requires io.fasthttp4j;
}
