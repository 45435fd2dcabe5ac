package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Bytes;
import io.fasthttp4j.ByteView;
import io.fasthttp4j.HeaderFields;
import io.fasthttp4j.pool.ByteBuf;

/** Writes header fields; shared by the request and response writers and the {@link ChunkedWriter}. */
final class FieldWriter {
    private FieldWriter() {
    }

    /**
     * Writes every field but the framing ones, which the writer computes from the body, and, when
     * {@code skipPlainConnection}, but Connection fields that only say close or keep-alive.
     */
    static void writeFields(HeaderFields fields, boolean skipPlainConnection, ByteBuf out) {
        for (int i = 0; i < fields.count(); i++) {
            ByteView name = fields.nameAt(i);
            if (Bytes.isFramingField(name)) continue;
            if (skipPlainConnection && Bytes.isPlainConnectionField(name, fields.valueAt(i))) continue;
            writeField(name, fields.valueAt(i), out);
        }
    }

    static void writeField(ByteView name, ByteView value, ByteBuf out) {
        int n = name.length();
        int v = value.length();
        int at = out.length();
        byte[] a = out.ensureSpace(n + v + 4);   // one capacity check for the line
        System.arraycopy(name.array(), name.offset(), a, at, n);
        at += n;
        a[at++] = ':';
        a[at++] = ' ';
        System.arraycopy(value.array(), value.offset(), a, at, v);
        at += v;
        a[at++] = '\r';
        a[at++] = '\n';
        out.setLength(at);
    }

    static void writeContentLength(long length, ByteBuf out) {
        out.append(Bytes.CONTENT_LENGTH_PREFIX);
        out.appendDecimal(length);
        out.append(Bytes.CRLF);
    }
}
