package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzz target for {@link Args}: any query or form bytes parse (the Javadoc promises no exception:
 * malformed escapes are kept literally), what {@link Args#toString} prints parses back to the same
 * arguments, and the typed getters agree with the JDK's parsers. Without {@code JAZZER_FUZZ=1} only
 * the seeds in {@code ArgsFuzzTestInputs} run.
 */
class ArgsFuzzTest {
    private static final Pattern LONG = Pattern.compile("-?[0-9]+");
    private static final Pattern DOUBLE = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    @FuzzTest
    void parsesAnyBytesAndPrintsThemBack(byte[] input) {
        Args args = new Args();
        args.parse(input, 0, input.length);
        String printed = args.toString();
        Args again = new Args();
        again.parse(printed);
        assertEquals(pairs(args), pairs(again), "re-parsed from " + printed);
        for (int i = 0; i < args.count(); i++) checkTypedGetters(args, i);
    }

    // For the first argument with each key: getLong and getDouble agree with Long and Double.parseDouble.
    private static void checkTypedGetters(Args args, int i) {
        String key = args.key(i).toString();
        if (!Arrays.equals(key.getBytes(StandardCharsets.UTF_8), args.key(i).toBytes())) return;   // not UTF-8: no String finds it
        if (!Arrays.equals(args.peek(key).toBytes(), args.value(i).toBytes())) return;            // not the first with this key
        String value = new String(args.value(i).toBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(expectedLong(value), args.getLong(key, 7), "getLong of " + value);
        assertEquals(expectedDouble(value), args.getDouble(key, 0.5), "getDouble of " + value);
        args.getInt(key, 0);
        args.getBoolean(key, false);
    }

    private static long expectedLong(String value) {
        if (!LONG.matcher(value).matches()) return 7;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 7;   // overflow
        }
    }

    private static double expectedDouble(String value) {
        if (!DOUBLE.matcher(value).matches()) return 0.5;
        double d = Double.parseDouble(value);
        return Double.isInfinite(d) ? 0.5 : d;
    }

    private static List<String> pairs(Args args) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < args.count(); i++) {
            pairs.add(new String(args.key(i).toBytes(), StandardCharsets.ISO_8859_1) + " = "
                    + new String(args.value(i).toBytes(), StandardCharsets.ISO_8859_1));
        }
        return pairs;
    }
}
