package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.pool.ByteBuf;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArgsTest {
    static Stream<Arguments> parsing() {
        return Stream.of(
                arguments("splits pairs on ampersands and keys from values on equals", "a=1&b=2", List.of("a=1", "b=2")),
                arguments("a key without equals has an empty value", "a&b=2", List.of("a=", "b=2")),
                arguments("a key with equals and nothing after has an empty value", "a=", List.of("a=")),
                arguments("only the first equals splits", "a=b=c", List.of("a=b=c")),
                arguments("an empty key is kept", "=v", List.of("=v")),
                arguments("empty pairs are skipped", "&&a=1&&&b=2&", List.of("a=1", "b=2")),
                arguments("an empty string has no arguments", "", List.of()),
                arguments("plus decodes to a space in keys and values", "a+b=c+d", List.of("a b=c d")),
                arguments("percent-escapes decode in keys and values", "%61%3D=%26%2B", List.of("a==&+")),
                arguments("UTF-8 escapes decode to their bytes", "q=%E2%82%AC", List.of("q=€")),
                arguments("a malformed escape is kept literally", "a=100%zz&b=%", List.of("a=100%zz", "b=%")),
                arguments("repeated keys keep their order", "a=1&b=2&a=3", List.of("a=1", "b=2", "a=3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsing")
    void parsesQueryStrings(String name, String query, List<String> expected) {
        Args args = new Args();
        args.parse(query);
        assertEquals(expected, pairs(args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsing")
    void parsesTheSameFromARangeOfALargerBuffer(String name, String query, List<String> expected) {
        byte[] buf = ("xx?" + query + "#yy").getBytes(StandardCharsets.UTF_8);
        Args args = new Args();
        args.parse(buf, 3, buf.length - 3);
        assertEquals(expected, pairs(args));
    }

    @Test
    void copiesTheBytesSoTheInputMayBeReused() {
        byte[] buf = "a=1".getBytes(StandardCharsets.US_ASCII);
        Args args = new Args();
        args.parse(buf, 0, buf.length);
        buf[2] = '9';
        assertEquals("1", args.get("a"));
    }

    @Test
    void parsesAByteView() {
        Args args = new Args();
        args.parse(ByteView.of("x=1&y=2"));
        assertEquals(List.of("x=1", "y=2"), pairs(args));
    }

    @Test
    void looksUpTheFirstValueCaseSensitively() {
        Args args = parsed("a=1&A=2&a=3&b");
        assertEquals("1", args.get("a"));
        assertEquals("2", args.get("A"));
        assertEquals("1", args.peek("a").toString());
        assertNull(args.peek("c"));
        assertNull(args.get("c"));
        assertTrue(args.has("b"));
        assertEquals("", args.get("b"));
        assertFalse(args.has("B"));
        assertEquals(List.of("1", "3"), args.getAll("a"));
        assertEquals(List.of(), args.getAll("c"));
    }

    @Test
    void looksUpNonAsciiKeysByTheirUtf8Bytes() {
        Args args = parsed("%C3%A9t%C3%A9=1&caf%C3%A9=2");
        assertEquals("1", args.get("été"));
        assertEquals("2", args.get("café"));
        assertNull(args.get("cafe"));
    }

    @Test
    void indexesKeysAndValues() {
        Args args = parsed("a=1&b=2");
        assertEquals(2, args.count());
        assertEquals("b", args.key(1).toString());
        assertEquals("2", args.value(1).toString());
        assertThrows(IndexOutOfBoundsException.class, () -> args.key(2));
        assertThrows(IndexOutOfBoundsException.class, () -> args.value(-1));
    }

    static Stream<Arguments> ints() {
        return Stream.of(
                arguments("a positive number", "5", 5),
                arguments("a negative number", "-5", -5),
                arguments("the largest int", "2147483647", 2147483647),
                arguments("the smallest int", "-2147483648", -2147483648),
                arguments("overflow gives the default", "2147483648", -1),
                arguments("a leading plus gives the default", "+5", -1),
                arguments("an empty value gives the default", "", -1),
                arguments("a decimal gives the default", "1.5", -1),
                arguments("a trailing letter gives the default", "5x", -1),
                arguments("a space (a decoded plus) gives the default", "+5+", -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ints")
    void readsInts(String name, String value, int expected) {
        Args args = new Args();
        args.add("n", value);
        assertEquals(expected, args.getInt("n", -1));
        assertEquals(-1, args.getInt("missing", -1));
    }

    static Stream<Arguments> longs() {
        return Stream.of(
                arguments("the largest long", "9223372036854775807", Long.MAX_VALUE),
                arguments("the smallest long, although it equals MALFORMED", "-9223372036854775808", Long.MIN_VALUE),
                arguments("overflow gives the default", "9223372036854775808", 7L),
                arguments("negative overflow gives the default", "-9223372036854775809", 7L),
                arguments("negative zero is zero", "-0", 0L),
                arguments("empty gives the default", "", 7L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longs")
    void readsLongs(String name, String value, long expected) {
        Args args = new Args();
        args.add("n", value);
        assertEquals(expected, args.getLong("n", 7L));
    }

    static Stream<Arguments> doubles() {
        return Stream.of(
                arguments("a fraction", "0.1", 0.1),
                arguments("an exponent", "-2.5e-3", -2.5e-3),
                arguments("seventeen digits through the fallback", "0.30000000000000004", 0.30000000000000004),
                arguments("overflow gives the default", "1e999", 9.5),
                arguments("a leading point gives the default", ".5", 9.5),
                arguments("NaN gives the default", "NaN", 9.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doubles")
    void readsDoubles(String name, String value, double expected) {
        Args args = new Args();
        args.add("d", value);
        assertEquals(expected, args.getDouble("d", 9.5));
    }

    static Stream<Arguments> booleans() {
        return Stream.of(
                arguments("1 is true", "1", true, false),
                arguments("true is true", "true", true, false),
                arguments("YES is true ignoring case", "YES", true, false),
                arguments("On is true ignoring case", "On", true, false),
                arguments("0 is false", "0", false, true),
                arguments("False is false ignoring case", "False", false, true),
                arguments("no is false", "no", false, true),
                arguments("OFF is false ignoring case", "OFF", false, true),
                arguments("anything else gives the default", "maybe", false, false),
                arguments("anything else gives the default, either way", "2", true, true),
                arguments("empty gives the default", "", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("booleans")
    void readsBooleans(String name, String value, boolean expected, boolean defaultValue) {
        Args args = new Args();
        args.add("b", value);
        assertEquals(expected, args.getBoolean("b", defaultValue));
        assertEquals(defaultValue, args.getBoolean("missing", defaultValue));
    }

    @Test
    void addKeepsEarlierValuesAndSetReplacesThemInPlace() {
        Args args = parsed("a=1&b=2&a=3&c=4");
        args.add("a", "5");
        assertEquals(List.of("1", "3", "5"), args.getAll("a"));
        args.set("a", "x");
        assertEquals(List.of("a=x", "b=2", "c=4"), pairs(args));
        args.set("d", "new");
        assertEquals(List.of("a=x", "b=2", "c=4", "d=new"), pairs(args));
    }

    @Test
    void delRemovesEveryValueOfAKeyAndKeepsTheOrderOfTheRest() {
        Args args = parsed("a=1&b=2&a=3&c=4&A=5");
        args.del("a");
        assertEquals(List.of("b=2", "c=4", "A=5"), pairs(args));
        args.del("missing");
        assertEquals(3, args.count());
    }

    static Stream<Arguments> encoding() {
        return Stream.of(
                arguments("plain pairs", "a=1&b=2", "a=1&b=2"),
                arguments("a key without value gets an equals", "flag", "flag="),
                arguments("a space is written as plus", "q=a+b", "q=a+b"),
                arguments("delimiters inside values are escaped", "q=%26%3D%2B", "q=%26%3D%2B"),
                arguments("escapes are written upper-case", "q=%e2%82%ac", "q=%E2%82%AC"),
                arguments("unreserved bytes are written plainly", "q=%41-%5F.%7E", "q=A-_.~"),
                arguments("a malformed escape is re-encoded", "q=100%zz", "q=100%25zz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoding")
    void encodesAsFormData(String name, String query, String expected) {
        Args args = parsed(query);
        assertEquals(expected, args.toString());
        ByteBuf out = new ByteBuf(0);
        out.append("?");
        args.appendTo(out);
        assertEquals("?" + expected, out.toString());
        assertEquals(pairs(args), pairs(parsed(args.toString())));
    }

    @Test
    void encodesAddedStringsAsUtf8() {
        Args args = new Args();
        args.add("name", "José & Ana");
        assertEquals("name=Jos%C3%A9+%26+Ana", args.toString());
    }

    @Test
    void resetEmptiesAndTheObjectIsReusable() {
        Args args = parsed("a=1&b=2&c=3");
        args.reset();
        assertEquals(0, args.count());
        assertNull(args.peek("a"));
        args.parse("d=4");
        assertEquals(List.of("d=4"), pairs(args));
    }

    @Test
    void copyToMakesAnIndependentCopy() {
        Args src = parsed("a=1&b=2");
        Args dst = parsed("x=9&y=8&z=7&w=6&v=5&u=4&t=3&s=2&r=1");
        src.copyTo(dst);
        src.set("a", "changed");
        src.add("c", "3");
        assertEquals(List.of("a=1", "b=2"), pairs(dst));
    }

    @Test
    void copyToGrowsAnEmptyDestination() {
        Args src = parsed("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10");
        Args dst = new Args();
        src.copyTo(dst);
        assertEquals(pairs(src), pairs(dst));
    }

    @Test
    void holdsManyArguments() {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < 1000; i++) query.append("k").append(i).append('=').append(i).append('&');
        Args args = parsed(query.toString());
        assertEquals(1000, args.count());
        assertEquals(999, args.getInt("k999", -1));
        assertEquals("k500", args.key(500).toString());
    }

    @Test
    void viewsFollowTheBufferWhenItGrows() {
        Args args = new Args();
        args.add("a", "1");
        ByteView first = args.peek("a");
        for (int i = 0; i < 100; i++) args.add("key" + i, "x".repeat(100));
        assertSame(first, args.peek("a"));
        assertEquals("1", args.peek("a").toString());
    }

    @Test
    void lookupsAndVisitingDoNotAllocateOnReuse() throws Throwable {
        Args args = new Args();
        byte[] query = "page=2&sort=name&q=caf%C3%A9+au+lait&limit=50&ratio=0.25&debug=on".getBytes(StandardCharsets.US_ASCII);
        long[] sink = new long[1];
        ArgsVisitor visitor = (key, value) -> sink[0] += key.length() + value.length();
        Runnable work = () -> {
            args.reset();
            args.parse(query, 0, query.length);
            sink[0] += args.getInt("page", 0) + args.getInt("limit", 0) + args.peek("q").length();
            sink[0] += args.getBoolean("debug", false) ? 1 : 0;
            sink[0] += (long) args.getDouble("ratio", 0) + args.getLong("missing", 3);
            args.visitAll(visitor);
        };
        assertEquals(0, minAllocatedBytes(work));
        assertTrue(sink[0] > 0);
    }

    // Fewest bytes this thread allocated over 10k runs of work, after a 20k-run warm-up, of 5 tries
    // (the minimum filters out the JIT and class loading that run on this thread). Used by UriTest too.
    static long minAllocatedBytes(Runnable work) throws Throwable {
        for (int i = 0; i < 20_000; i++) work.run();
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = allocatedBytes();
            for (int i = 0; i < 10_000; i++) work.run();
            min = Math.min(min, allocatedBytes() - before);
        }
        return min;
    }

    @Test
    void allocationMeterSeesAnAllocation() throws Throwable {
        Object[] sink = new Object[1];
        assertTrue(minAllocatedBytes(() -> sink[0] = new byte[16]) >= 10_000 * 16);
    }

    // com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes, reached through a method handle:
    // the module under test does not read java.management, and the handle returns a long unboxed.
    private static final Object THREADS;
    private static final MethodHandle CURRENT_THREAD_ALLOCATED_BYTES;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            CURRENT_THREAD_ALLOCATED_BYTES = MethodHandles.publicLookup()
                    .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() throws Throwable {
        return (long) CURRENT_THREAD_ALLOCATED_BYTES.invokeExact(THREADS);
    }

    private static Args parsed(String query) {
        Args args = new Args();
        args.parse(query);
        return args;
    }

    private static List<String> pairs(Args args) {
        List<String> pairs = new ArrayList<>();
        args.visitAll((key, value) -> pairs.add(key + "=" + value));
        return pairs;
    }
}
