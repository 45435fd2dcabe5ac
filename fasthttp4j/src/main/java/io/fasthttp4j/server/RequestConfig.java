package io.fasthttp4j.server;

import java.time.Duration;

/** Per-request settings a {@link HeaderReceived} hook may change; starts from the server's. Reused. */
public final class RequestConfig {
    private long maxBodyBytes;
    private Duration readTimeout;
    private Duration writeTimeout;

    RequestConfig() {
    }

    void reset(long maxBodyBytes, Duration readTimeout, Duration writeTimeout) {
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Largest body this request may have; past it, 413 and the connection is closed. */
    public void setMaxBodyBytes(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + bytes);
        maxBodyBytes = bytes;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** Time from this request's first byte to its last (body included). */
    public void setReadTimeout(Duration timeout) {
        readTimeout = Server.positive("readTimeout", timeout);
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration timeout) {
        writeTimeout = Server.positive("writeTimeout", timeout);
    }
}
