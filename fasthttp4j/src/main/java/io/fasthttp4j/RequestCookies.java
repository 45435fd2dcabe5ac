package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Cookies;

/**
 * Reads request cookies out of a header's Cookie fields without allocating: one per
 * {@link RequestHeader}, whose lookups reuse its two sinks. Not thread-safe.
 */
final class RequestCookies {
    private static final String COOKIE = "Cookie";

    private final Finder finder = new Finder();
    private final Visitor visitor = new Visitor();

    /**
     * The value of the first cookie {@code name} in the Cookie fields of {@code fields}, the first of
     * which is at {@code first}, or null. A view into the field's bytes.
     */
    ByteView find(HeaderFields fields, int first, CharSequence name) {
        finder.start(name);
        for (int i = first; i >= 0 && !finder.found(); i = fields.indexOf(COOKIE, i + 1)) {
            ByteView v = fields.valueAt(i);
            Cookies.parseRequestCookies(v.array(), v.offset(), v.offset() + v.length(), finder);
        }
        return finder.result();
    }

    /** Visits every cookie in the Cookie fields from index {@code first} on (none when it is -1) as (name, value) views, in order. */
    void visit(HeaderFields fields, int first, HeaderVisitor headerVisitor) {
        for (int i = first; i >= 0; i = fields.indexOf(COOKIE, i + 1)) {
            ByteView v = fields.valueAt(i);
            visitor.visitor = headerVisitor;
            Cookies.parseRequestCookies(v.array(), v.offset(), v.offset() + v.length(), visitor);
        }
        visitor.visitor = null;
    }

    /** Finds the first cookie with a given name. */
    private static final class Finder implements Cookies.Sink {
        private CharSequence name;
        private final ByteView value = new ByteView();
        private boolean found;

        void start(CharSequence name) {
            this.name = name;
            found = false;
            value.reset();
        }

        boolean found() {
            return found;
        }

        ByteView result() {
            name = null;
            return found ? value : null;
        }

        @Override
        public void accept(byte[] buf, int nameFrom, int nameTo, int valueFrom, int valueTo) {
            if (!found && nameTo - nameFrom == name.length() && sameBytes(buf, nameFrom, nameTo)) {
                value.set(buf, valueFrom, valueTo - valueFrom);
                found = true;
            }
        }

        // cookie names are case-sensitive (RFC 6265 §5.4)
        private boolean sameBytes(byte[] buf, int from, int to) {
            for (int i = from; i < to; i++) if (buf[i] != name.charAt(i - from)) return false;
            return true;
        }
    }

    /** Hands each cookie to a {@link HeaderVisitor}. */
    private static final class Visitor implements Cookies.Sink {
        private HeaderVisitor visitor;
        private final ByteView name = new ByteView();
        private final ByteView value = new ByteView();

        @Override
        public void accept(byte[] buf, int nameFrom, int nameTo, int valueFrom, int valueTo) {
            name.set(buf, nameFrom, nameTo - nameFrom);
            value.set(buf, valueFrom, valueTo - valueFrom);
            visitor.visit(name, value);
        }
    }
}
