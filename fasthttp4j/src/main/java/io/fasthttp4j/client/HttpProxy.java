package io.fasthttp4j.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An HTTP proxy that every connection of a client goes through as a CONNECT tunnel (RFC 9110
 * §9.3.6), with optional Basic credentials (RFC 7617).
 */
record HttpProxy(String host, int port, String authorization) {

    /** Parses {@code "host:port"} or {@code "[v6]:port"}; {@code user} null for no credentials. */
    static HttpProxy of(String addr, String user, String password) {
        if (addr == null) throw new IllegalArgumentException("proxy address is null");
        int colon = addr.lastIndexOf(':');
        if (colon <= 0 || colon == addr.length() - 1) throw new IllegalArgumentException("proxy address is not host:port: \"" + addr + "\"");
        String host = addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.indexOf(':') >= 0) throw new IllegalArgumentException("IPv6 proxy address without brackets: \"" + addr + "\"");
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) throw new IllegalArgumentException("invalid proxy address \"" + addr + "\"");
        String authorization = null;
        if (user != null) {
            if (user.indexOf(':') >= 0) throw new IllegalArgumentException("a proxy user name must not contain ':'");   // RFC 7617 §2
            String pair = user + ":" + (password == null ? "" : password);
            authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return new HttpProxy(host, port, authorization);
    }

    /** The proxy as {@code host:port}, for messages. */
    String name() {
        return HostClient.authority(host, port);
    }

    /** The CONNECT request for a tunnel to {@code target} ({@code host:port}). */
    byte[] connectRequest(String target) {
        StringBuilder s = new StringBuilder(96).append("CONNECT ").append(target).append(" HTTP/1.1\r\nHost: ").append(target).append("\r\n");
        if (authorization != null) s.append("Proxy-Authorization: ").append(authorization).append("\r\n");
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "HttpProxy[" + name() + (authorization == null ? "" : ", with credentials") + "]";   // never the credentials
    }
}
