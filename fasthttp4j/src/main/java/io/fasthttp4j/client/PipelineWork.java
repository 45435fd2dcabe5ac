package io.fasthttp4j.client;

import io.fasthttp4j.Request;
import io.fasthttp4j.Response;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One call on a {@link PipelineClient}: the caller's request and response, the thread waiting for
 * them, and how the call ended. Pooled by the client, one per pending call, so a call allocates no
 * queue node, future or lambda. Its state moves QUEUED to TAKEN (a writer has it) to DONE, or QUEUED
 * to CANCELLED when the caller gave up before any writer took it; the writer that later finds a
 * cancelled work in the queue releases it, since its caller has left.
 *
 * <p>Fields are handed from thread to thread by the queue, the connection's in-flight ring and the
 * volatile {@code state}: the caller fills the first group before queueing, the writer the second
 * before it puts the work in flight, and whoever completes it the third before DONE.
 */
final class PipelineWork {
    static final int QUEUED = 0;
    static final int TAKEN = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PipelineWork.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // the caller's, set before the work is queued
    Request request;
    Response response;
    Thread waiter;
    final RequestTarget target = new RequestTarget();
    // the writer's, set when it takes the work
    PipelineConn conn;          // null when a client-wide failure (close, dial) completes it
    boolean head;               // answers a HEAD request: no body, whatever the header says
    boolean closeAfter;         // the request asked the server to close after answering it
    // the completer's, set before DONE
    IOException error;
    boolean retryable;          // failed on a connection the server ended, before any byte of its response
    boolean sent;               // its bytes may have reached the server
    private volatile int state;

    /** Readies this work for the next call; drops every reference. */
    void reset() {
        request = null;
        response = null;
        waiter = null;
        target.reset();
        conn = null;
        head = false;
        closeAfter = false;
        error = null;
        retryable = false;
        sent = false;
        state = QUEUED;
    }

    /** Readies this work to be queued again, for a retry: keeps the caller's fields. */
    void requeue() {
        conn = null;
        error = null;
        retryable = false;
        sent = false;
        state = QUEUED;
    }

    /** A writer (or a client-wide failure, {@code conn} null) takes the work; false if its caller cancelled it. */
    boolean take(PipelineConn by) {
        conn = by;   // before the CAS, which publishes it to a caller that times out
        return STATE.compareAndSet(this, QUEUED, TAKEN);
    }

    /** The caller gives up on a work no writer has taken; false if one already has. */
    boolean cancel() {
        return STATE.compareAndSet(this, QUEUED, CANCELLED);
    }

    boolean isDone() {
        return state == DONE;
    }

    /**
     * Ends the call and wakes its caller. The work must not be touched afterwards: the caller may
     * already be releasing it.
     */
    void complete(IOException failure, boolean mayRetry, boolean maybeSent) {
        error = failure;
        retryable = mayRetry;
        sent = maybeSent;
        Thread caller = waiter;   // read before DONE: afterwards the work may belong to another call
        state = DONE;
        LockSupport.unpark(caller);
    }
}
