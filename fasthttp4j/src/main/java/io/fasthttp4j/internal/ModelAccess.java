package io.fasthttp4j.internal;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;

/**
 * The parts of the model ({@code io.fasthttp4j}) that the server uses but that are not API: set once by
 * the model's package when {@link Request} is initialized, the way the JDK's SharedSecrets reach across
 * packages. This package is not exported, so nothing outside the module can call it.
 */
public abstract class ModelAccess {
    private static volatile ModelAccess instance;

    /** Called once, by {@code io.fasthttp4j}. */
    public static void set(ModelAccess access) {
        if (instance != null) throw new IllegalStateException("ModelAccess is set already");
        instance = access;
    }

    /** The model's implementation; initializes {@link Request} first if nothing has yet. */
    public static ModelAccess get() {
        ModelAccess a = instance;
        if (a != null) return a;
        try {
            Class.forName(Request.class.getName(), true, Request.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return instance;
    }

    protected ModelAccess() {
    }

    /**
     * Readies {@code request} for the next request of the same connection, parsed from the same buffer:
     * as {@link Request#reset()}, but its views are only emptied and keep their references until a
     * {@code reset()}, which the caller must do before the buffers they may reference could be dropped.
     */
    public abstract void clear(Request request);

    /** {@link #clear(Request)} for the response of that request. */
    public abstract void clear(Response response);
}
