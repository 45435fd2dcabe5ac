package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for {@link Uri}: any request-target either parses or is rejected with a {@link
 * BadRequestException} of status 400, as its Javadoc says; one that parses prints ({@link
 * Uri#toString}, {@link Uri#appendRequestUri}) as a target that parses back to the same parts; and
 * {@link Uri#resolve} accepts a reference or throws {@link IllegalArgumentException}, leaving the
 * URI as it was. Without {@code JAZZER_FUZZ=1} only the seeds in {@code UriFuzzTestInputs} run.
 */
class UriFuzzTest {
    @FuzzTest
    void parsesAnyTargetOrRejectsItWith400(byte[] input) {
        Uri uri = new Uri();
        try {
            uri.parse(input, 0, input.length);
        } catch (BadRequestException e) {
            assertEquals(400, e.status(), e.getMessage());
            return;
        }
        String printed = uri.toString();
        Uri again = parseOrFail(printed, "toString()");
        assertSameParts(uri, again, printed);
        assertEquals(printed, again.toString(), "toString() of the re-parsed URI");

        ByteBuf requestUri = new ByteBuf();
        uri.appendRequestUri(requestUri);
        Uri sent = parseOrFail(requestUri.toString(), "appendRequestUri");
        assertEquals(text(uri.path()), text(sent.path()), "path of appendRequestUri " + requestUri);
        assertEquals(text(uri.queryString()), text(sent.queryString()), "query of appendRequestUri " + requestUri);
        uri.queryArgs();   // parses the query; throws nothing, whatever the bytes
    }

    /** The input is a base URI, a LF, then a reference to resolve against it, as a client follows a redirect. */
    @FuzzTest
    void resolvesAnyReferenceOrRejectsItUnchanged(byte[] input) {
        int lf = indexOf(input, (byte) '\n');
        Uri uri = new Uri();
        try {
            uri.parse(input, 0, lf);
        } catch (BadRequestException e) {
            return;   // the base is the first target's job
        }
        String before = uri.toString();
        String reference = new String(input, Math.min(lf + 1, input.length), Math.max(input.length - lf - 1, 0), StandardCharsets.UTF_8);
        try {
            uri.resolve(reference);
        } catch (IllegalArgumentException e) {
            assertEquals(before, uri.toString(), "a rejected reference changed the URI");
            return;
        }
        uri.toString();   // prints whatever it resolved to
    }

    private static Uri parseOrFail(String target, String printedBy) {
        Uri uri = new Uri();
        try {
            uri.parse(target);
        } catch (BadRequestException e) {
            fail(printedBy + " printed \"" + target + "\", which does not parse: " + e.getMessage());
        }
        return uri;
    }

    private static void assertSameParts(Uri expected, Uri actual, String printed) {
        assertEquals(text(expected.scheme()), text(actual.scheme()), "scheme of " + printed);
        assertEquals(text(expected.username()), text(actual.username()), "username of " + printed);
        assertEquals(text(expected.password()), text(actual.password()), "password of " + printed);
        assertEquals(text(expected.host()), text(actual.host()), "host of " + printed);
        assertEquals(expected.port(), actual.port(), "port of " + printed);
        assertEquals(text(expected.path()), text(actual.path()), "path of " + printed);
        assertEquals(text(expected.queryString()), text(actual.queryString()), "query of " + printed);
    }

    private static String text(ByteView view) {
        return new String(view.toBytes(), StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] input, byte b) {
        for (int i = 0; i < input.length; i++) if (input[i] == b) return i;
        return input.length;
    }
}
