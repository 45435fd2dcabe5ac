package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.HttpLimits;
import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedRequest;
import io.fasthttp4j.internal.codec.ParserHarness.ParsedResponse;
import io.fasthttp4j.pool.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random valid messages built through the model's setters, written by the writers and read back by
 * the parsers: what comes out must be what went in. Field names carry an {@code X-} prefix so that
 * the fields the writers add themselves (Host, framing, Server, Date, Content-Type) can be told apart.
 */
class CodecRoundTripTest {
    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String PATH_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/";
    private static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
    private static final Map<Integer, String> KNOWN_REASONS =
            Map.of(200, "OK", 201, "Created", 204, "No Content", 301, "Moved Permanently", 304, "Not Modified",
                    404, "Not Found", 500, "Internal Server Error");

    record Field(String name, String value) {
        String line() {
            return name + ": " + value;
        }
    }

    record RequestSpec(String method, String target, String host, List<Field> fields, byte[] body, boolean chunked,
            List<Field> trailers) {
    }

    record ResponseSpec(int status, String reason, List<Field> fields, byte[] body, boolean chunked, List<Field> trailers,
            String contentType, String server) {
    }

    // ---- requests -------------------------------------------------------------------------------

    @Property(tries = 500)
    void requestSurvivesWriteAndParse(@ForAll("requests") RequestSpec spec) {
        String wire = write(spec);
        assertRequestMatches(spec, ParserHarness.parse(wire), wire);
    }

    @Property(tries = 200)
    void writtenRequestParsesTheSameInTwoPieces(@ForAll("requests") RequestSpec spec, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        String wire = write(spec);
        int at = cut % (wire.length() + 1);
        assertEquals(ParserHarness.parse(wire), ParserHarness.parseSplitAt(wire, at), "split at " + at + " of\n" + wire);
    }

    @Property(tries = 50)
    void writtenRequestParsesTheSameByteByByte(@ForAll("requests") RequestSpec spec) {
        String wire = write(spec);
        assertEquals(ParserHarness.parse(wire), ParserHarness.parseByteByByte(wire), wire);
    }

    @Property(tries = 200)
    void pipelinedWrittenRequestsParseInOrder(@ForAll @Size(min = 1, max = 5) List<@From("requests") RequestSpec> specs) {
        StringBuilder wire = new StringBuilder();
        for (RequestSpec spec : specs) wire.append(write(spec));
        List<ParsedRequest> parsed = ParserHarness.parseAll(wire.toString());
        assertEquals(specs.size(), parsed.size());
        for (int i = 0; i < specs.size(); i++) assertRequestMatches(specs.get(i), parsed.get(i), wire.toString());
    }

    private static String write(RequestSpec spec) {
        Request request = new Request();
        request.header().setMethod(spec.method());
        request.header().setRequestUri(spec.target());
        request.header().setHost(spec.host());
        for (Field f : spec.fields()) request.header().add(f.name(), f.value());
        if (spec.chunked()) {
            request.header().setChunked(true);
            for (Field f : spec.trailers()) request.trailers().add(f.name(), f.value());
        }
        request.setBody(spec.body());
        ByteBuf out = new ByteBuf();
        RequestWriter.write(request, out);
        return new String(out.toBytes(), StandardCharsets.ISO_8859_1);
    }

    private static void assertRequestMatches(RequestSpec spec, ParsedRequest parsed, String wire) {
        String body = new String(spec.body(), StandardCharsets.ISO_8859_1);
        assertEquals(spec.method(), parsed.method(), wire);
        assertEquals(spec.target(), parsed.target(), wire);
        assertEquals("HTTP/1.1", parsed.protocol(), wire);
        assertEquals(List.of("Host: " + spec.host()), named(parsed.headers(), "Host"), wire);
        assertEquals(lines(spec.fields()), prefixed(parsed.headers()), wire);
        assertEquals(body, parsed.body(), wire);
        assertTrue(parsed.keepAlive(), wire);
        if (spec.chunked()) {
            assertEquals(List.of("Transfer-Encoding: chunked"), named(parsed.headers(), "Transfer-Encoding"), wire);
            assertEquals(List.of(), named(parsed.headers(), "Content-Length"), wire);
            assertEquals(lines(spec.trailers()), parsed.trailers(), wire);
        } else {
            assertEquals(List.of(), named(parsed.headers(), "Transfer-Encoding"), wire);
            if (!body.isEmpty()) assertEquals(List.of("Content-Length: " + body.length()), named(parsed.headers(), "Content-Length"), wire);
            assertEquals(List.of(), parsed.trailers(), wire);
        }
    }

    @Provide
    Arbitrary<RequestSpec> requests() {
        Arbitrary<String> methods = Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
                Arbitraries.strings().withChars(TOKEN_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(10)
                        .filter(m -> !m.equalsIgnoreCase("CONNECT")));
        Arbitrary<String> paths = Arbitraries.strings().withChars(PATH_CHARS.toCharArray()).ofMaxLength(40).map(p -> "/" + p);
        Arbitrary<String> queries = Arbitraries.strings().withChars((PATH_CHARS + "?").toCharArray()).ofMaxLength(30)
                .map(q -> q.isEmpty() ? "" : "?" + q);
        Arbitrary<String> targets = Combinators.combine(paths, queries).as(String::concat);
        Arbitrary<String> hosts = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars(".-").ofMinLength(1).ofMaxLength(20),
                Arbitraries.integers().between(1, 65535).injectNull(0.5))
                .as((name, port) -> port == null ? name : name + ":" + port);
        return Combinators.combine(methods, targets, hosts, fields("X-", 20), bodies(), Arbitraries.of(true, false), fields("X-T-", 5))
                .as(RequestSpec::new);
    }

    // ---- responses ------------------------------------------------------------------------------

    @Property(tries = 500)
    void responseSurvivesWriteAndParse(@ForAll("responses") ResponseSpec spec) {
        String wire = write(spec, false);
        assertResponseMatches(spec, ParserHarness.parseResponse(wire, HttpLimits.defaults(), false), false, wire);
    }

    @Property(tries = 200)
    void headResponseSurvivesWriteAndParse(@ForAll("responses") ResponseSpec spec) {
        String wire = write(spec, true);
        assertResponseMatches(spec, ParserHarness.parseResponse(wire, HttpLimits.defaults(), true), true, wire);
    }

    @Property(tries = 200)
    void writtenResponseParsesTheSameInTwoPieces(@ForAll("responses") ResponseSpec spec, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        String wire = write(spec, false);
        int at = cut % (wire.length() + 1);
        assertEquals(ParserHarness.parseResponse(wire), ParserHarness.parseResponseSplitAt(wire, at, false), "split at " + at + " of\n" + wire);
    }

    @Property(tries = 50)
    void writtenResponseParsesTheSameByteByByte(@ForAll("responses") ResponseSpec spec) {
        String wire = write(spec, false);
        assertEquals(ParserHarness.parseResponse(wire), ParserHarness.parseResponseByteByByte(wire, HttpLimits.defaults(), false), wire);
    }

    private static String write(ResponseSpec spec, boolean headRequest) {
        Response response = new Response();
        response.setStatusCode(spec.status());
        if (!spec.reason().isEmpty()) response.header().setReasonPhrase(spec.reason());
        if (spec.contentType() != null) response.header().setContentType(spec.contentType());
        for (Field f : spec.fields()) response.header().add(f.name(), f.value());
        if (spec.chunked()) {
            response.header().setChunked(true);
            for (Field f : spec.trailers()) response.trailers().add(f.name(), f.value());
        }
        response.setBody(spec.body());
        ByteBuf out = new ByteBuf();
        new ResponseWriter(spec.server()).write(response, headRequest, out);
        return new String(out.toBytes(), StandardCharsets.ISO_8859_1);
    }

    private static void assertResponseMatches(ResponseSpec spec, ParsedResponse parsed, boolean headRequest, String wire) {
        boolean bodyless = spec.status() == 204 || spec.status() == 304;
        String body = new String(spec.body(), StandardCharsets.ISO_8859_1);
        assertEquals(spec.status(), parsed.status(), wire);
        if (!spec.reason().isEmpty()) assertEquals(spec.reason(), parsed.reason(), wire);
        else if (KNOWN_REASONS.containsKey(spec.status())) assertEquals(KNOWN_REASONS.get(spec.status()), parsed.reason(), wire);
        assertEquals("HTTP/1.1", parsed.protocol(), wire);
        assertEquals(lines(spec.fields()), prefixed(parsed.headers()), wire);
        assertEquals(spec.server() == null ? List.of() : List.of("Server: " + spec.server()), named(parsed.headers(), "Server"), wire);
        assertEquals(1, named(parsed.headers(), "Date").size(), wire);
        assertEquals(bodyless || headRequest ? "" : body, parsed.body(), wire);
        assertEquals(spec.chunked() && !bodyless && !headRequest ? lines(spec.trailers()) : List.of(), parsed.trailers(), wire);
        if (bodyless) return;
        String contentType = spec.contentType() == null ? DEFAULT_CONTENT_TYPE : spec.contentType();
        assertEquals(List.of("Content-Type: " + contentType), named(parsed.headers(), "Content-Type"), wire);
        if (spec.chunked()) {
            assertEquals(List.of("Transfer-Encoding: chunked"), named(parsed.headers(), "Transfer-Encoding"), wire);
            assertEquals(List.of(), named(parsed.headers(), "Content-Length"), wire);
        } else {
            assertEquals(List.of("Content-Length: " + body.length()), named(parsed.headers(), "Content-Length"), wire);
        }
    }

    @Provide
    Arbitrary<ResponseSpec> responses() {
        Arbitrary<Integer> statuses = Arbitraries.oneOf(
                Arbitraries.integers().between(200, 599),
                Arbitraries.of(200, 201, 204, 301, 304, 404, 500));
        Arbitrary<String> reasons = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().withCharRange('!', '~').withChars(' ', '\t').ofMinLength(1).ofMaxLength(30)
                        .map(String::strip).filter(r -> !r.isEmpty()));
        Arbitrary<String> contentTypes = Arbitraries.of("application/json", "text/html; charset=utf-8", "image/png").injectNull(0.5);
        Arbitrary<String> servers = Arbitraries.of("fasthttp4j", "test server/1.0").injectNull(0.3);
        return Combinators.combine(statuses, reasons, fields("X-", 20), bodies(), Arbitraries.of(true, false), fields("X-T-", 5),
                contentTypes, servers).as(ResponseSpec::new);
    }

    // ---- shared generators and helpers ----------------------------------------------------------

    /** 0 to {@code max} fields: names {@code prefix} + token chars; values VCHAR and SP, no OWS at either end. */
    private static Arbitrary<List<Field>> fields(String prefix, int max) {
        Arbitrary<String> names = Arbitraries.strings().withChars(TOKEN_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(12)
                .map(n -> prefix + n);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').withChars(' ').ofMaxLength(40).map(String::strip);
        return Combinators.combine(names, values).as(Field::new).list().ofMaxSize(max);
    }

    private static Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.just(new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1000).ofMaxSize(20_000));
    }

    private static List<String> lines(List<Field> fields) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) out.add(f.line());
        return out;
    }

    /** The fields the test added (names start with "X-"), in order. */
    private static List<String> prefixed(List<String> headers) {
        return headers.stream().filter(h -> h.startsWith("X-")).toList();
    }

    /** The fields called {@code name}, ignoring case, in order. */
    private static List<String> named(List<String> headers, String name) {
        return headers.stream().filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1)).toList();
    }
}
