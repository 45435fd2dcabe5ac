package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.BadRequestException;

/**
 * The syntax of chunk extensions (RFC 9112 §7.1.1): {@code *( BWS ";" BWS name [ BWS "=" BWS value ] )}
 * with a token name and a token or quoted-string value. Checked and then ignored: we use none.
 */
final class ChunkExtensions {
    private ChunkExtensions() {
    }

    static void check(byte[] b, int from, int to) {
        int i = from;
        while (true) {
            i = Ascii.skipOws(b, i, to);
            if (i == to) {
                if (i == from || b[i - 1] == ' ' || b[i - 1] == '\t') {
                    throw BadRequestException.of(400, "whitespace after chunk size without an extension");
                }
                return;
            }
            if (b[i] != ';') throw BadRequestException.of(400, "invalid byte 0x%02x in chunk extension", b[i] & 0xff);
            i = token(b, Ascii.skipOws(b, i + 1, to), to, "chunk extension name");
            int afterName = Ascii.skipOws(b, i, to);
            if (afterName < to && b[afterName] == '=') {
                int v = Ascii.skipOws(b, afterName + 1, to);
                i = v < to && b[v] == '"' ? quoted(b, v, to) : token(b, v, to, "chunk extension value");
            }
        }
    }

    private static int token(byte[] b, int from, int to, String what) {
        int i = from;
        while (i < to && Ascii.isTokenChar(b[i])) i++;
        if (i == from) throw BadRequestException.of(400, "empty or invalid %s", what);
        return i;
    }

    private static int quoted(byte[] b, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (b[i] == '"') return i + 1;
            if (b[i] == '\\') {
                i++;   // RFC 9110 §5.6.4: quoted-pair = "\\" ( HTAB / SP / VCHAR / obs-text )
                if (i == to || !Ascii.isFieldValueChar(b[i])) throw BadRequestException.of(400, "invalid quoted-pair in chunk extension");
            } else if (!Ascii.isFieldValueChar(b[i])) throw BadRequestException.of(400, "invalid byte 0x%02x in quoted chunk extension", b[i] & 0xff);
        }
        throw BadRequestException.of(400, "unterminated quoted chunk extension value");
    }
}
