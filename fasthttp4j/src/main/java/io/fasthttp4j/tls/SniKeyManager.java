package io.fasthttp4j.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key manager: picks the certificate for a handshake by the SNI host name the client
 * sent. A certificate that names it exactly wins, then one whose wildcard covers it; when none names
 * it, or the client sent no name, the first certificate (the default) is used. Among certificates
 * that name the host, the key type JSSE asks for decides (an RSA and an EC certificate may share
 * names). Immutable and thread-safe: a reload builds a new one. Server side only.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final List<CertifiedKey> keys;   // [0] is the default; an alias is an index

    SniKeyManager(List<CertifiedKey> keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("no certificate");
        this.keys = List.copyOf(keys);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : requestedHostName(engine.getHandshakeSession()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ssl ? requestedHostName(ssl.getHandshakeSession()) : null);
    }

    /** The alias of the certificate for {@code hostName} (lower case; null: none sent) and {@code keyType}, or null. */
    String choose(String keyType, String hostName) {
        if (hostName != null) {
            // Exact names first; wildcards only when no certificate names the host exactly, whatever its key
            // type: JSSE asks once per key type the client accepts, and must not get a wildcard for EC
            // before it asks for the exact RSA one.
            boolean exact = false;
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).namesExactly(hostName)) continue;
                if (keys.get(i).suits(keyType)) return alias(i);
                exact = true;
            }
            if (exact) return null;
            boolean wildcard = false;
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).namesByWildcard(hostName)) continue;
                if (keys.get(i).suits(keyType)) return alias(i);
                wildcard = true;
            }
            if (wildcard) return null;
        }
        return keys.getFirst().suits(keyType) ? alias(0) : null;
    }

    private static String requestedHostName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession session)) return null;
        for (SNIServerName name : session.getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                return new SNIHostName(name.getEncoded()).getAsciiName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String alias(int index) {
        return Integer.toString(index);
    }

    private CertifiedKey key(String alias) {
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < keys.size() ? keys.get(index) : null;
        } catch (NumberFormatException e) {
            return null;   // not one of ours
        }
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertifiedKey key = alias == null ? null : key(alias);
        return key == null ? null : key.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertifiedKey key = alias == null ? null : key(alias);
        return key == null ? null : key.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).suits(keyType)) aliases.add(alias(i));
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;   // a server's key manager: it never authenticates as a client
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
