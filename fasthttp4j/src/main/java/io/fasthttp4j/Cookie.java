package io.fasthttp4j;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.internal.bytes.Cookies;
import io.fasthttp4j.internal.bytes.HttpDates;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One Set-Cookie cookie (RFC 6265bis): a name, a value and its attributes. Mutable and reusable:
 * {@link #reset()} keeps its arrays, so a reused cookie stops allocating once it has grown to the
 * sizes it sees. Not thread-safe.
 *
 * <p>Setters validate and throw {@link IllegalArgumentException} naming the field and the bad byte;
 * a failed setter leaves the field unchanged. {@link #appendTo} writes the header value and
 * {@link #parse} reads one, both without allocating.
 */
public final class Cookie {
    /** What {@link #expires()} returns when no Expires attribute is set. */
    public static final long NO_EXPIRES = Long.MIN_VALUE;

    /** The SameSite attribute (RFC 6265bis §4.1.2.7). */
    public enum SameSite {
        /** No attribute written; the browser applies its default (Lax in current browsers). */
        DEFAULT(""),
        LAX("; SameSite=Lax"),
        STRICT("; SameSite=Strict"),
        /** Sent cross-site too; browsers require Secure with it, so {@link #appendTo} writes Secure. */
        NONE("; SameSite=None");

        private final byte[] attribute;

        SameSite(String attribute) {
            this.attribute = attribute.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final ByteBuf key = new ByteBuf(16);
    private final ByteBuf value = new ByteBuf(32);
    private final ByteBuf domain = new ByteBuf(0);
    private final ByteBuf path = new ByteBuf(0);
    private long expires = NO_EXPIRES;
    private int maxAge;
    private boolean secure;
    private boolean httpOnly;
    private SameSite sameSite = SameSite.DEFAULT;
    private boolean partitioned;
    private final ByteView keyView = new ByteView();      // views of the four buffers above, re-aimed on each peek
    private final ByteView valueView = new ByteView();
    private final ByteView domainView = new ByteView();
    private final ByteView pathView = new ByteView();

    /** Readies this cookie for reuse: no name, no value, no attributes. Keeps its arrays. */
    public void reset() {
        key.reset();
        value.reset();
        domain.reset();
        path.reset();
        expires = NO_EXPIRES;
        maxAge = 0;
        secure = false;
        httpOnly = false;
        sameSite = SameSite.DEFAULT;
        partitioned = false;
        keyView.reset();
        valueView.reset();
        domainView.reset();
        pathView.reset();
    }

    /** An empty cookie: no name, no value, no attributes. */
    public Cookie() {
    }

    private static final byte[] DOMAIN = ascii("; Domain=");
    private static final byte[] PATH = ascii("; Path=");
    private static final byte[] EXPIRES = ascii("; Expires=");
    private static final byte[] MAX_AGE = ascii("; Max-Age=");
    private static final byte[] SECURE = ascii("; Secure");
    private static final byte[] HTTP_ONLY = ascii("; HttpOnly");
    private static final byte[] PARTITIONED = ascii("; Partitioned");

    // RFC 6265 §4.1.1: cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
    // (no CTLs, whitespace, DQUOTE, comma, semicolon or backslash);
    // path-value and, as we check it, Domain: any CHAR except CTLs or ";".
    // RFC 6265 §4.1.1: cookie-name is a token (RFC 9110 tchar).
    private static final boolean[] COOKIE_NAME = new boolean[128];
    private static final boolean[] COOKIE_OCTET = new boolean[128];
    private static final boolean[] ATTRIBUTE_CHAR = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) COOKIE_NAME[c] = Ascii.isTokenChar((byte) c);
        for (int c = 0x21; c <= 0x7e; c++) COOKIE_OCTET[c] = c != '"' && c != ',' && c != ';' && c != '\\';
        for (int c = 0x20; c <= 0x7e; c++) ATTRIBUTE_CHAR[c] = c != ';';
    }

    /** The name. A view: valid until this cookie is reset or changed; copy what you need to keep. */
    public ByteView peekKey() {
        return view(keyView, key);
    }

    /** The name as a new string. */
    public String key() {
        return key.toString();
    }

    /** Sets the name: a token (RFC 9110 tchar), not empty. */
    public void setKey(CharSequence key) {
        requireNonEmpty(key.length());
        set(this.key, "cookie name", key, COOKIE_NAME);
    }

    /** Sets the name from {@code bytes[from..to)}: a token (RFC 9110 tchar), not empty. */
    public void setKey(byte[] bytes, int from, int to) {
        requireNonEmpty(to - from);
        set(this.key, "cookie name", COOKIE_NAME, bytes, from, to);
    }

    /** The value, without the DQUOTEs it may have been sent in. A view: valid until this cookie is reset or changed; copy what you need to keep. */
    public ByteView peekValue() {
        return view(valueView, value);
    }

    /** The value as a new string. */
    public String value() {
        return value.toString();
    }

    /** Sets the value: cookie-octets only (RFC 6265 §4.1.1), possibly empty. */
    public void setValue(CharSequence value) {
        set(this.value, "cookie value", value, COOKIE_OCTET);
    }

    /** Sets the value from {@code bytes[from..to)}: cookie-octets only (RFC 6265 §4.1.1), possibly empty. */
    public void setValue(byte[] bytes, int from, int to) {
        set(this.value, "cookie value", COOKIE_OCTET, bytes, from, to);
    }

    /** The Domain attribute, empty when unset. A view: valid until this cookie is reset or changed; copy what you need to keep. */
    public ByteView peekDomain() {
        return view(domainView, domain);
    }

    /** The Domain attribute as a new string, empty when unset. */
    public String domain() {
        return domain.toString();
    }

    /** Sets the Domain attribute, as given (a leading dot is kept); empty unsets it. ASCII without CTLs or ';'. */
    public void setDomain(CharSequence domain) {
        set(this.domain, "Domain", domain, ATTRIBUTE_CHAR);
    }

    /** The Path attribute, empty when unset. A view: valid until this cookie is reset or changed; copy what you need to keep. */
    public ByteView peekPath() {
        return view(pathView, path);
    }

    /** The Path attribute as a new string, empty when unset. */
    public String path() {
        return path.toString();
    }

    /** Sets the Path attribute; empty unsets it. ASCII without CTLs or ';' (RFC 6265 §4.1.1 path-value). */
    public void setPath(CharSequence path) {
        set(this.path, "Path", path, ATTRIBUTE_CHAR);
    }

    /** The Expires attribute in epoch seconds, or {@link #NO_EXPIRES}. */
    public long expires() {
        return expires;
    }

    /** Sets the Expires attribute in epoch seconds (years 0000 to 9999), or unsets it with {@link #NO_EXPIRES}. */
    public void setExpires(long epochSeconds) {
        if (epochSeconds != NO_EXPIRES && !HttpDates.isFormattable(epochSeconds)) {
            throw new IllegalArgumentException("Expires " + epochSeconds + " is outside years 0000-9999");
        }
        expires = epochSeconds;
    }

    /** Sets the Expires attribute to {@code expires}, truncated to the second. */
    public void setExpires(Instant expires) {
        setExpires(expires.getEpochSecond());
    }

    /** The Max-Age attribute in seconds: 0 when unset, negative for "delete now" (written as Max-Age=0). */
    public int maxAge() {
        return maxAge;
    }

    /** Sets Max-Age: positive seconds, 0 to unset it, negative to delete the cookie now (written as Max-Age=0). */
    public void setMaxAge(int seconds) {
        maxAge = seconds;
    }

    public boolean isSecure() {
        return secure;
    }

    /** Sets Secure. {@link SameSite#NONE} and Partitioned write Secure whatever this says. */
    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    public boolean isHttpOnly() {
        return httpOnly;
    }

    public void setHttpOnly(boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    public SameSite sameSite() {
        return sameSite;
    }

    public void setSameSite(SameSite sameSite) {
        this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
    }

    public boolean isPartitioned() {
        return partitioned;
    }

    /** Sets Partitioned (CHIPS); browsers require Secure with it, so {@link #appendTo} writes Secure. */
    public void setPartitioned(boolean partitioned) {
        this.partitioned = partitioned;
    }

    /**
     * Appends the Set-Cookie header value (without {@code "Set-Cookie: "}) to {@code out}:
     * {@code key=value; Domain=..; Path=..; Expires=..; Max-Age=..; Secure; HttpOnly; SameSite=..; Partitioned},
     * each attribute only when set. Secure is written whenever SameSite=None or Partitioned is, since
     * browsers drop such cookies without it. Throws {@link IllegalStateException} when the cookie has no name.
     */
    public void appendTo(ByteBuf out) {
        if (key.isEmpty()) throw new IllegalStateException("cookie has no name");
        appendUnchecked(out);
    }

    private void appendUnchecked(ByteBuf out) {
        out.append(key.array(), 0, key.length()).append((byte) '=').append(value.array(), 0, value.length());
        if (!domain.isEmpty()) out.append(DOMAIN).append(domain.array(), 0, domain.length());
        if (!path.isEmpty()) out.append(PATH).append(path.array(), 0, path.length());
        if (expires != NO_EXPIRES) appendExpires(out);
        if (maxAge != 0) out.append(MAX_AGE).appendDecimal(Math.max(maxAge, 0));
        if (secure || sameSite == SameSite.NONE || partitioned) out.append(SECURE);
        if (httpOnly) out.append(HTTP_ONLY);
        out.append(sameSite.attribute);
        if (partitioned) out.append(PARTITIONED);
    }

    private void appendExpires(ByteBuf out) {
        out.append(EXPIRES);
        int at = out.length();
        HttpDates.formatImfFixdate(expires, out.ensureSpace(HttpDates.IMF_FIXDATE_LENGTH), at);
        out.setLength(at + HttpDates.IMF_FIXDATE_LENGTH);
    }

    /** Parses the Set-Cookie header value {@code value}; see {@link #parse(byte[], int, int)}. */
    public void parse(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        parse(bytes, 0, bytes.length);
    }

    /**
     * Replaces this cookie with the Set-Cookie header value in {@code buf[from..to)}, as a client receives it.
     * The name must be a token and the value cookie-octets, optionally in DQUOTEs (which are dropped);
     * otherwise this throws {@link IllegalArgumentException} naming the byte and leaves the cookie reset.
     * We throw rather than skip because a client that silently loses a session cookie is harder to
     * debug than one that is told; it is not a {@link BadRequestException} since no request is at fault.
     *
     * <p>Attributes follow RFC 6265 §5.2: names are case-insensitive, the last of each kind wins, and
     * unknown or malformed ones are ignored, as browsers do. Expires takes any HTTP-date and the Netscape
     * cookie form ({@link HttpDates#parseCookieExpires}); Max-Age is an optional '-' and digits, where
     * 0 and negatives mean "delete now" and are stored as -1, and values past int are clamped.
     */
    public void parse(byte[] buf, int from, int to) {
        Objects.checkFromToIndex(from, to, buf.length);
        reset();
        int semicolon = Cookies.indexOf(buf, (byte) ';', from, to);
        parseNameValue(buf, from, semicolon);
        while (semicolon < to) {
            int next = Cookies.indexOf(buf, (byte) ';', semicolon + 1, to);
            parseAttribute(buf, semicolon + 1, next);
            semicolon = next;
        }
    }

    private void parseNameValue(byte[] buf, int from, int to) {
        int equals = Cookies.indexOf(buf, (byte) '=', from, to);
        if (equals == to) throw new IllegalArgumentException("Set-Cookie has no '=' after the cookie name");
        int nameFrom = Ascii.skipOws(buf, from, equals);
        int nameTo = Ascii.trimOwsEnd(buf, nameFrom, equals);
        int valueFrom = Ascii.skipOws(buf, equals + 1, to);
        int valueTo = Ascii.trimOwsEnd(buf, valueFrom, to);
        if (valueTo - valueFrom >= 2 && buf[valueFrom] == '"' && buf[valueTo - 1] == '"') {
            valueFrom++;
            valueTo--;
        }
        if (nameFrom == nameTo) throw new IllegalArgumentException("cookie name is empty");
        check("cookie name", COOKIE_NAME, buf, nameFrom, nameTo);
        check("cookie value", COOKIE_OCTET, buf, valueFrom, valueTo);
        key.append(buf, nameFrom, nameTo - nameFrom);
        value.append(buf, valueFrom, valueTo - valueFrom);
    }

    private void parseAttribute(byte[] buf, int from, int to) {
        int equals = Cookies.indexOf(buf, (byte) '=', from, to);
        int nameFrom = Ascii.skipOws(buf, from, equals);
        int nameTo = Ascii.trimOwsEnd(buf, nameFrom, equals);
        int valueFrom = equals == to ? to : Ascii.skipOws(buf, equals + 1, to);
        int valueTo = Ascii.trimOwsEnd(buf, valueFrom, to);
        if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "expires")) {
            long seconds = HttpDates.parseCookieExpires(buf, valueFrom, valueTo);
            if (seconds != HttpDates.MALFORMED) expires = seconds;
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "max-age")) {
            parseMaxAge(buf, valueFrom, valueTo);
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "domain")) {
            replaceIfValid(domain, ATTRIBUTE_CHAR, buf, valueFrom, valueTo);
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "path")) {
            replaceIfValid(path, ATTRIBUTE_CHAR, buf, valueFrom, valueTo);
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "samesite")) {
            sameSite = parseSameSite(buf, valueFrom, valueTo);
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "secure")) {
            secure = true;
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "httponly")) {
            httpOnly = true;
        } else if (Ascii.equalsIgnoreCase(buf, nameFrom, nameTo, "partitioned")) {
            partitioned = true;
        }
    }

    // RFC 6265 §5.2.2: an optional '-' then digits, else the attribute is ignored; <= 0 means expire now.
    private void parseMaxAge(byte[] buf, int from, int to) {
        boolean negative = from < to && buf[from] == '-';
        int digitsFrom = negative ? from + 1 : from;
        if (digitsFrom == to) return;
        long seconds = 0;
        for (int i = digitsFrom; i < to; i++) {
            if (!Ascii.isDigit(buf[i])) return;
            seconds = Math.min(seconds * 10 + (buf[i] - '0'), Integer.MAX_VALUE);
        }
        maxAge = negative || seconds == 0 ? -1 : (int) seconds;
    }

    // RFC 6265bis §5.6.7: an unrecognised value means the default enforcement.
    private static SameSite parseSameSite(byte[] buf, int from, int to) {
        if (Ascii.equalsIgnoreCase(buf, from, to, "lax")) return SameSite.LAX;
        if (Ascii.equalsIgnoreCase(buf, from, to, "strict")) return SameSite.STRICT;
        if (Ascii.equalsIgnoreCase(buf, from, to, "none")) return SameSite.NONE;
        return SameSite.DEFAULT;
    }

    private static void replaceIfValid(ByteBuf dst, boolean[] allowed, byte[] buf, int from, int to) {
        if (from == to || firstInvalid(allowed, buf, from, to) >= 0) return;   // RFC 6265 §5.2.3, §5.2.4: ignore
        dst.reset();
        dst.append(buf, from, to - from);
    }

    /** Copies this cookie into {@code dst}, replacing everything {@code dst} held. */
    public void copyTo(Cookie dst) {
        copy(key, dst.key);
        copy(value, dst.value);
        copy(domain, dst.domain);
        copy(path, dst.path);
        dst.expires = expires;
        dst.maxAge = maxAge;
        dst.secure = secure;
        dst.httpOnly = httpOnly;
        dst.sameSite = sameSite;
        dst.partitioned = partitioned;
    }

    private static void copy(ByteBuf from, ByteBuf to) {
        to.reset();
        to.append(from.array(), 0, from.length());
    }

    /** The Set-Cookie header value, as {@link #appendTo} writes it (a cookie without a name shows as "=value"). */
    @Override
    public String toString() {
        ByteBuf out = new ByteBuf();
        appendUnchecked(out);
        return out.toString();
    }

    private static ByteView view(ByteView view, ByteBuf buf) {
        view.set(buf.array(), 0, buf.length());
        return view;
    }

    private static void requireNonEmpty(int length) {
        if (length == 0) throw new IllegalArgumentException("cookie name is empty");
    }

    /** Validates {@code chars}, then replaces {@code dst} with them; a failure leaves {@code dst} unchanged. */
    private static void set(ByteBuf dst, String field, CharSequence chars, boolean[] allowed) {
        int n = chars.length();
        for (int i = 0; i < n; i++) {
            char c = chars.charAt(i);
            if (c >= 128 || !allowed[c]) {
                throw new IllegalArgumentException(String.format("invalid char U+%04X in %s at index %d", (int) c, field, i));
            }
        }
        dst.reset();
        dst.append(chars);   // all ASCII by now: one byte per char
    }

    private static void set(ByteBuf dst, String field, boolean[] allowed, byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        check(field, allowed, bytes, from, to);
        dst.reset();
        dst.append(bytes, from, to - from);
    }

    /** Throws naming {@code field}, the byte and its index unless every byte of {@code buf[from..to)} is allowed. */
    private static void check(String field, boolean[] allowed, byte[] buf, int from, int to) {
        int bad = firstInvalid(allowed, buf, from, to);
        if (bad >= 0) {
            throw new IllegalArgumentException(String.format("invalid byte 0x%02x in %s at index %d", buf[bad] & 0xff, field, bad - from));
        }
    }

    private static int firstInvalid(boolean[] allowed, byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] < 0 || !allowed[buf[i]]) return i;   // bytes >= 0x80 are negative: never allowed
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
