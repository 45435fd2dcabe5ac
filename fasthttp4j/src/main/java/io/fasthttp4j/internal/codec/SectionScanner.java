package io.fasthttp4j.internal.codec;

import io.fasthttp4j.internal.bytes.Ascii;
import io.fasthttp4j.BadRequestException;

/**
 * Finds the end of a header section that arrives in pieces, resuming where the last call stopped,
 * so a client that sends one byte per packet costs one pass over its bytes, not one per packet.
 * Checks line ends (CRLF only) and the size limits on the way, so an endless section is cut off at
 * its limit instead of buffered.
 */
final class SectionScanner {
    private int scanned;      // bytes of the section checked so far
    private int lineStart;    // offset of the current line in the section
    private boolean firstLine = true;

    /** Readies this scanner for the next section. */
    void reset() {
        scanned = 0;
        lineStart = 0;
        firstLine = true;
    }

    /** True when no byte of the current section has been looked at yet. */
    boolean isFresh() {
        return scanned == 0;
    }

    /**
     * Scans the section starting at {@code from}, of which {@code buf[from..to)} has arrived.
     * Returns the section's length up to and including its empty line, or -1 if it has not ended.
     *
     * @param maxFirstLine longest first line (CRLF included) before {@code firstLineStatus}; 0 for no separate limit
     * @param maxTotal     largest section before {@code totalStatus}
     * @param limitNames   what the first line and the section are called and the names of their limits,
     *                     for the messages: a constant array, so a call allocates nothing
     */
    int scan(byte[] buf, int from, int to, int maxFirstLine, int firstLineStatus, int maxTotal, int totalStatus, String[] limitNames) {
        for (int i = from + scanned; i < to; i++) {
            int at = i - from;
            if (firstLine && maxFirstLine > 0 && at >= maxFirstLine) {
                throw BadRequestException.of(firstLineStatus, "%s exceeds %s=%d", limitNames[0], limitNames[1], maxFirstLine);
            }
            if (at >= maxTotal) throw BadRequestException.of(totalStatus, "%s exceeds %s=%d", limitNames[2], limitNames[3], maxTotal);
            byte b = buf[i];
            if (b == Ascii.LF) {
                if (at == 0 || buf[i - 1] != Ascii.CR) throw BadRequestException.of(400, "bare LF at offset %d: lines must end with CRLF", at);
                if (at - 1 == lineStart) return at + 1;   // the empty line: end of section
                lineStart = at + 1;
                firstLine = false;
            } else if (at > 0 && buf[i - 1] == Ascii.CR) {
                throw BadRequestException.of(400, "bare CR at offset %d", at - 1);
            }
            scanned = at + 1;
        }
        return -1;
    }
}
