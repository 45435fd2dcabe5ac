package io.fasthttp4j;

/**
 * Receives each argument of an {@link Args} in order, from {@link Args#visitAll(ArgsVisitor)}.
 * The views are valid until the {@code Args} is reset or changed; copy what you need to keep.
 */
@FunctionalInterface
public interface ArgsVisitor {
    /** Called once per argument, in order; {@code value} is empty (never null) for an argument without {@code '='}. */
    void visit(ByteView key, ByteView value);
}
