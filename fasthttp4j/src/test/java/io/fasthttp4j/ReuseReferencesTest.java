package io.fasthttp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.internal.codec.RequestParser;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two ways a request or response is readied for reuse: {@code reset()} drops every reference to
 * the bytes its views saw (a pooled object must not pin a dropped buffer); {@code resetForNextInBuffer()},
 * which the server uses between pipelined requests read into one buffer, empties the same views but may
 * keep those references until the next {@code reset()}. Both must leave nothing of the old message visible.
 */
class ReuseReferencesTest {
    private static final byte[] FIRST = ("GET /first?a=1 HTTP/1.1\r\nHost: example.com\r\nX-One: 1\r\nX-Two: 2\r\n"
            + "Cookie: c=1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECOND = "POST /second HTTP/1.1\r\nHost: example.org\r\nContent-Length: 2\r\n\r\nhi"
            .getBytes(StandardCharsets.US_ASCII);

    private static Request parsed(Request request, byte[] bytes) {
        RequestParser parser = new RequestParser(HttpLimits.defaults());
        assertEquals(bytes.length, parser.parse(bytes, 0, bytes.length, request));
        assertTrue(parser.isComplete());
        return request;
    }

    @Test
    void resetDropsEveryReferenceToTheParsedBuffer() {
        byte[] buf = FIRST.clone();
        Request request = parsed(new Request(), buf);
        request.path();
        request.header().peek("X-Two");
        assertTrue(references(request, buf), "the views see the buffer while the request is in use");
        request.reset();
        assertFalse(references(request, buf));
    }

    @Test
    void resetForNextInBufferEmptiesEverythingAndAResetAfterwardsDropsWhatItKept() {
        byte[] first = FIRST.clone();
        Request request = parsed(new Request(), first);
        request.path();
        request.resetForNextInBuffer();
        RequestHeader h = request.header();
        assertEquals(0, h.fieldCount());
        assertNull(h.peek("X-One"));
        assertNull(h.host());
        assertEquals("GET", h.method().toString(), "an empty method reads as GET, as after reset");
        assertTrue(h.requestUri().isEmpty());

        byte[] second = SECOND.clone();
        parsed(request, second);   // fewer fields than the first: the first's last views stay behind, unseen
        assertEquals(2, h.fieldCount());
        assertNull(h.peek("X-Two"));
        assertNull(h.peek("Cookie"));
        assertEquals("/second", request.path().toString());
        assertEquals("hi", request.body().toString());
        assertTrue(references(request, first), "resetForNextInBuffer() keeps references: that is what makes it cheap");

        request.reset();
        assertFalse(references(request, first), "reset() drops the views resetForNextInBuffer() left beyond the count");
        assertFalse(references(request, second));
    }

    @Test
    void responseResetForNextInBufferEmptiesAndResetDrops() {
        Response response = new Response();
        response.header().setContentType("text/plain");
        response.header().set("X-Kept", "v");
        response.setBody("body".getBytes(StandardCharsets.US_ASCII));
        byte[] fieldBytes = ownedArrayOf(response.header().fields());
        assertTrue(references(response, fieldBytes));
        response.resetForNextInBuffer();
        assertEquals(0, response.header().fieldCount());
        assertNull(response.header().contentType());
        assertEquals(0, response.body().length());
        assertEquals(Status.OK, response.statusCode());
        response.reset();
        assertFalse(referencesViewOf(response, fieldBytes), "no view sees the fields' bytes after reset");
    }

    private static byte[] ownedArrayOf(HeaderFields fields) {
        return fields.valueAt(fields.count() - 1).array();
    }

    /** True when some object reachable from {@code root} through this package's objects holds {@code buf}. */
    private static boolean references(Object root, byte[] buf) {
        return walk(root, buf, new IdentityHashMap<>(), false);
    }

    /** As {@link #references}, counting only ByteView's own reference (an owning ByteBuf may keep its array). */
    private static boolean referencesViewOf(Object root, byte[] buf) {
        return walk(root, buf, new IdentityHashMap<>(), true);
    }

    private static boolean walk(Object o, byte[] buf, Map<Object, Boolean> seen, boolean viewsOnly) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) return false;
        if (o instanceof Object[] array) {
            for (Object e : array) if (walk(e, buf, seen, viewsOnly)) return true;
            return false;
        }
        Class<?> c = o.getClass();
        if (!c.getPackageName().startsWith("io.fasthttp4j")) return false;
        for (; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                f.setAccessible(true);
                Object v;
                try {
                    v = f.get(o);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                if (v == buf && (!viewsOnly || o instanceof ByteView)) return true;
                if (!(v instanceof byte[]) && walk(v, buf, seen, viewsOnly)) return true;
            }
        }
        return false;
    }
}
