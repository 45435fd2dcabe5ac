package io.fasthttp4j.server;

import java.nio.channels.SelectionKey;

/**
 * A connection's state on its event loop. Used by the loop's thread only (and by the virtual thread
 * a request is handed off to, which owns it then).
 */
final class LoopConn implements ServerConn.Owner {
    final EventLoop loop;
    final ServerConn conn;
    Http1Exchange ex;          // null while idle: idle connections hold no buffers
    SelectionKey key;
    int outPos;                // bytes of ex.out already written
    int drained;               // bytes read and dropped after a refused request
    long reads;                // reads that brought bytes
    boolean waitingToWrite;    // OP_WRITE instead of OP_READ: the client does not read (back-pressure)
    boolean closeAfterWrite;
    boolean draining;          // a refused request was answered: read and drop until EOF or the linger deadline
    boolean handedOff;
    boolean closed;
    boolean closeOnRegister;   // a close was asked while it waited in the loop's incoming queue
    HandOff stage;

    LoopConn(EventLoop loop, ServerConn conn, Http1Exchange ex) {
        this.loop = loop;
        this.conn = conn;
        this.ex = ex;
    }

    @Override
    public void requestClose() {
        loop.requestClose(this);
    }
}
