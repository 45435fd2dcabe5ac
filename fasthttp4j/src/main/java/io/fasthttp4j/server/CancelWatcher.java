package io.fasthttp4j.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Notices a client that goes away while its request's handler runs on a worker (issue 13; fasthttp
 * cannot, its #965/#1350). Nothing reads a connection while its handler runs, so a closed or reset
 * connection would go unseen until the response is written. Only a handler that asks
 * ({@link RequestCtx#isCancelled()}, {@link RequestCtx#onCancel}) pays for watching: its connection
 * turns non-blocking and joins this watcher's selector until the handler returns, as Go's net/http
 * reads in the background to cancel a request's context. End of stream or a reset cancels the
 * request; bytes the client sends meanwhile (its next pipelined request) are kept for the worker.
 *
 * <p>One platform thread per server, started by the first watch. Its selector is its own; the
 * handlers' threads talk to it through a queue and {@code wakeup}.
 */
final class CancelWatcher {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    /** Bytes of the next request kept while watching; a client that sends more is there, and is no longer watched. */
    static final int EARLY_BYTES = 4096;

    private final ConcurrentLinkedQueue<Watch> commands = new ConcurrentLinkedQueue<>();
    private Selector selector;   // guarded by this until started, then the watcher thread's
    private Thread thread;       // guarded by this
    private volatile boolean stopped;

    /** One watched request: its connection's key on the watcher's selector and what it read. */
    static final class Watch {
        final RequestCtx ctx;
        final SocketChannel socket;
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean stopRequested;
        SelectionKey key;           // the watcher thread's
        ByteBuffer early;           // the watcher thread's until done; then the worker's

        Watch(RequestCtx ctx, SocketChannel socket) {
            this.ctx = ctx;
            this.socket = socket;
        }
    }

    /** Starts watching {@code ctx}'s connection; false when it cannot be watched (then nothing changed). */
    boolean watch(RequestCtx ctx) {
        SocketChannel socket = ctx.conn.socket;
        if (stopped || socket == null || !ensureStarted()) return false;
        try {
            socket.configureBlocking(false);   // the handler's thread is the only other user, and it is in the handler
        } catch (IOException e) {
            return false;
        }
        Watch w = new Watch(ctx, socket);
        ctx.cancellation.watch = w;
        commands.add(w);
        selector.wakeup();
        return true;
    }

    /**
     * Stops watching {@code ctx}'s connection once its handler has returned: waits until the selector
     * has let go of it, turns it blocking again, and hands the bytes read meanwhile to the worker.
     * Runs on the handler's thread. Never throws: if the connection cannot be taken back, the request
     * is cancelled and the connection closed.
     */
    void release(RequestCtx ctx) {
        try {
            unwatch(ctx);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "connection #" + ctx.conn.id + " could not leave the cancel watcher: " + e);
            ctx.cancellation.cancel();
            ctx.conn.close();
        }
    }

    private void unwatch(RequestCtx ctx) throws IOException {
        Watch w = ctx.cancellation.watch;
        ctx.cancellation.watch = null;
        w.stopRequested = true;
        commands.add(w);
        selector.wakeup();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!w.done.await(5, TimeUnit.SECONDS)) throw new IOException("cancel watcher did not release connection #" + ctx.conn.id);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        w.socket.configureBlocking(true);
        if (w.early != null && w.early.position() > 0) ctx.exchange.appendRead(w.early.array(), 0, w.early.position());
    }

    private synchronized boolean ensureStarted() {
        if (thread != null) return true;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot open the cancel watcher's selector: requests will not see clients leave", e);
            return false;
        }
        thread = Thread.ofPlatform().name("fasthttp4j-cancel-watcher").daemon().start(this::run);
        return true;
    }

    private void run() {
        while (!stopped) {
            try {
                selector.select(this::onReadable);
                runCommands();
            } catch (Throwable t) {
                Server.ERRORS.log(Level.ERROR, "cancel-watcher", "cancel watcher round failed; it goes on", t);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    private void runCommands() throws IOException {
        for (Watch w; (w = commands.poll()) != null; ) {
            if (w.stopRequested) {
                if (w.key != null) w.key.cancel();
                releasing.add(w);
            } else if (w.key == null) {
                try {
                    w.key = w.socket.register(selector, SelectionKey.OP_READ, w);
                } catch (ClosedChannelException e) {
                    cancel(w);   // closed already (the sweeper, shutdown): the request is over for the client too
                }
            }
        }
        if (releasing.isEmpty()) return;
        selector.selectNow(this::onReadable);   // deregisters the cancelled keys: their channels may turn blocking
        for (Watch w : releasing) w.done.countDown();
        releasing.clear();
    }

    private final java.util.ArrayList<Watch> releasing = new java.util.ArrayList<>();   // the watcher thread's

    private void onReadable(SelectionKey key) {
        Watch w = (Watch) key.attachment();
        if (w.stopRequested) return;   // its stop command is queued: runCommands lets go of it next
        if (w.early == null) w.early = ByteBuffer.allocate(EARLY_BYTES);
        int n;
        try {
            n = w.socket.read(w.early);
        } catch (IOException e) {
            n = -1;   // reset by the client
        }
        if (n < 0) {
            key.cancel();
            cancel(w);
        } else if (!w.early.hasRemaining()) {
            key.interestOps(0);   // the client sends on, so it is there: stop reading until the handler returns
        }
    }

    private void cancel(Watch w) {
        w.ctx.cancellation.cancel();
    }

    /** Stops the watcher thread (server shutdown); watches still open are released. */
    void stop() {
        stopped = true;
        Selector s;
        synchronized (this) {
            s = selector;
        }
        if (s != null) s.wakeup();
    }
}
