package io.fasthttp4j;

/** Receives header fields one at a time, in order; see {@link HeaderFields#visitAll(HeaderVisitor)}. */
@FunctionalInterface
public interface HeaderVisitor {
    /** Called once per field. Both views are valid only during the call; copy what you need to keep. */
    void visit(ByteView name, ByteView value);
}
