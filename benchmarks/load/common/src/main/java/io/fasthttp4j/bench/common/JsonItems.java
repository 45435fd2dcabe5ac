package io.fasthttp4j.bench.common;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Serialises the first {@code count} items with Jackson's streaming generator, the same code for every
 * JVM contender, per request (no cached responses):
 * {@code {"items":[{"id":1,"name":"Item 1",...,"rating":{"score":3.0,"count":10},"total":4.99},...],"count":n}}.
 */
public final class JsonItems {
    private JsonItems() {
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes the JSON for {@code count} items (1 to 50) with multiplier {@code m} to {@code out}. */
    public static void write(int count, int m, OutputStream out) throws IOException {
        int n = Math.max(0, Math.min(count, Dataset.ITEMS.size()));
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("items");
            for (int i = 0; i < n; i++) writeItem(g, Dataset.ITEMS.get(i), m);
            g.writeEndArray();
            g.writeNumberField("count", n);
            g.writeEndObject();
        }
    }

    private static void writeItem(JsonGenerator g, Dataset.Item item, int m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", item.id());
        g.writeStringField("name", item.name());
        g.writeStringField("category", item.category());
        g.writeNumberField("price", item.price());
        g.writeNumberField("quantity", item.quantity());
        g.writeBooleanField("active", item.active());
        g.writeArrayFieldStart("tags");
        for (String tag : item.tags()) g.writeString(tag);
        g.writeEndArray();
        g.writeObjectFieldStart("rating");
        g.writeNumberField("score", item.ratingScore());
        g.writeNumberField("count", item.ratingCount());
        g.writeEndObject();
        g.writeNumberField("total", Math.round(item.price() * item.quantity() * m * 100) / 100.0);
        g.writeEndObject();
    }

    /** Parses "/json/{count}" into count; -1 if the path is not of that shape. */
    public static int countFromPath(CharSequence path) {
        String prefix = "/json/";
        if (path.length() <= prefix.length()) return -1;
        for (int i = 0; i < prefix.length(); i++) if (path.charAt(i) != prefix.charAt(i)) return -1;
        int n = 0;
        for (int i = prefix.length(); i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9' || n > 1000) return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
