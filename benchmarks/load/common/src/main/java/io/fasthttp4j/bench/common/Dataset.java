package io.fasthttp4j.bench.common;

import java.util.List;

/**
 * The 50 items the json profile serialises, built once at start-up the same way for every
 * contender. Immutable.
 */
public final class Dataset {
    private Dataset() {
    }

    /** One item; {@code total} is computed per request: price × quantity × m. */
    public record Item(int id, String name, String category, double price, int quantity, boolean active,
                       List<String> tags, double ratingScore, int ratingCount) {
    }

    private static final String[] CATEGORIES = {"tools", "garden", "kitchen", "toys", "books"};
    private static final String[] TAGS = {"new", "sale", "popular", "eco", "limited", "gift"};

    public static final List<Item> ITEMS = build();

    private static List<Item> build() {
        Item[] items = new Item[50];
        for (int i = 0; i < items.length; i++) {
            int id = i + 1;
            items[i] = new Item(id, "Item " + id, CATEGORIES[i % CATEGORIES.length],
                    Math.round((4.99 + i * 1.37) * 100) / 100.0, 1 + (i * 7) % 23, i % 3 != 0,
                    List.of(TAGS[i % TAGS.length], TAGS[(i + 2) % TAGS.length]),
                    Math.round((3.0 + (i % 20) / 10.0) * 10) / 10.0, 10 + i * 13);
        }
        return List.of(items);
    }
}
