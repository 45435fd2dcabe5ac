package io.fasthttp4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fasthttp4j.HeaderFields;
import io.fasthttp4j.Request;
import io.fasthttp4j.pool.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one chunked writer: framing, collecting small writes into chunks, writing out full buffers, trailers, raw mode. */
class ChunkedWriterTest {
    /** Collects what is written out, and each piece's size. */
    private static final class Recorder extends ChunkedWriter {
        final ByteBuf out;
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final List<Integer> pieces = new ArrayList<>();

        Recorder(ByteBuf out, int pendingSize, HeaderFields trailers, boolean chunked, int writeOutAt) {
            super(out, new byte[pendingSize], trailers, chunked, writeOutAt);
            this.out = out;
        }

        @Override
        protected void writeOut() {
            sent.write(out.array(), 0, out.length());
            pieces.add(out.length());
            out.reset();
        }

        /** Everything: what was written out, then what the output buffer still holds. */
        String all() {
            return sent.toString(StandardCharsets.ISO_8859_1) + new String(out.array(), 0, out.length(), StandardCharsets.ISO_8859_1);
        }
    }

    private static HeaderFields noTrailers() {
        return new Request().trailers();
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                arguments("nothing written", List.of(), "0\r\n\r\n"),
                arguments("one small write", List.of("hello"), "5\r\nhello\r\n0\r\n\r\n"),
                arguments("small writes gathered into one chunk", List.of("ab", "cd", "e"), "5\r\nabcde\r\n0\r\n\r\n"),
                arguments("a write past the pending buffer splits at its size", List.of("0123456789abcdefXYZ"),
                        "10\r\n0123456789abcdef\r\n3\r\nXYZ\r\n0\r\n\r\n"),
                arguments("an empty write adds no chunk", List.of("", "x", ""), "1\r\nx\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void framesWritesIntoChunksOfThePendingBuffersSize(String name, List<String> writes, String expected) throws IOException {
        Recorder w = new Recorder(new ByteBuf(64), 16, noTrailers(), true, 1 << 20);
        for (String s : writes) w.write(s.getBytes(StandardCharsets.ISO_8859_1));
        w.close();
        assertEquals(expected, w.all());
        assertEquals(List.of(), w.pieces, "nothing written out below writeOutAt: the caller sends the rest");
    }

    @Test
    void writesOutTheBufferOnceItHoldsWriteOutAtBytes() throws IOException {
        Recorder w = new Recorder(new ByteBuf(64), 4, noTrailers(), true, 8);
        w.write("abcdefgh".getBytes(StandardCharsets.ISO_8859_1));   // two chunks of 4: "4\r\nabcd\r\n" is 9 bytes
        assertEquals(List.of(9, 9), w.pieces);
        w.finish();
        assertEquals("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", w.all());
    }

    @Test
    void flushSendsWhatWasWrittenSoFar() throws IOException {
        Recorder w = new Recorder(new ByteBuf(64), 16, noTrailers(), true, 1 << 20);
        w.write('a');
        w.flush();
        assertEquals("1\r\na\r\n", w.sent.toString(StandardCharsets.ISO_8859_1));
        w.flush();   // nothing new: no empty piece
        assertEquals(List.of(6), w.pieces);
    }

    @Test
    void endsWithTheTrailersReadAtTheEnd() throws IOException {
        Request request = new Request();
        Recorder w = new Recorder(new ByteBuf(64), 16, request.trailers(), true, 1 << 20);
        w.write('a');
        request.trailers().add("X-Checksum", "42");   // added while writing: still sent
        w.finish();
        assertEquals("1\r\na\r\n0\r\nX-Checksum: 42\r\n\r\n", w.all());
    }

    @Test
    void writesRawBytesWithoutFramingOrTrailersWhenNotChunked() throws IOException {
        Request request = new Request();
        request.trailers().add("X-Dropped", "1");
        Recorder w = new Recorder(new ByteBuf(64), 4, request.trailers(), false, 1 << 20);
        w.write("abcdef".getBytes(StandardCharsets.ISO_8859_1));
        w.finish();
        assertEquals("abcdef", w.all());
    }

    @Test
    void refusesWritesOnceFinished() throws IOException {
        Recorder w = new Recorder(new ByteBuf(64), 16, noTrailers(), true, 1 << 20);
        w.close();
        w.close();   // idempotent
        assertThrows(IOException.class, () -> w.write('a'));
        assertThrows(IOException.class, () -> w.write(new byte[1], 0, 1));
        assertEquals("0\r\n\r\n", w.all());
    }

    @Test
    void appendsABodyHeldInMemoryAsOneChunk() {
        ByteBuf out = new ByteBuf(16);
        Request request = new Request();
        request.setBody("hello world");
        ChunkedWriter.appendBody(request.body(), request.trailers(), out);
        assertEquals("b\r\nhello world\r\n0\r\n\r\n", new String(out.array(), 0, out.length(), StandardCharsets.ISO_8859_1));
    }
}
