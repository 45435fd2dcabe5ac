package io.fasthttp4j.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A certificate chain with its private key, and the host names SNI matches it by: the leaf's DNS
 * subject alternative names (RFC 6125 §6.4.4: the subject's CN is not used), wildcards included.
 */
record CertifiedKey(X509Certificate[] chain, PrivateKey key, List<String> hostNames) {
    private static final int DNS_NAME = 2;   // GeneralName dNSName, RFC 5280 §4.2.1.6
    private static final byte[] PROBE = "fasthttp4j key check".getBytes(StandardCharsets.US_ASCII);

    /**
     * Checks that {@code key} belongs to the leaf of {@code chain}; {@code source} names the files in
     * the error.
     *
     * @throws IOException "private key does not match certificate", or the leaf's names are unreadable
     */
    static CertifiedKey of(X509Certificate[] chain, PrivateKey key, String source) throws IOException {
        if (!matches(key, chain[0].getPublicKey())) throw new IOException(source + ": private key does not match certificate");
        return new CertifiedKey(chain, key, dnsNames(chain[0], source));
    }

    // RSA: the same modulus. EC and EdDSA: a signature by the key verifies with the certificate's key.
    private static boolean matches(PrivateKey key, PublicKey certified) throws IOException {
        try {
            return switch (key) {
                case RSAPrivateKey rsa -> certified instanceof RSAPublicKey pub && pub.getModulus().equals(rsa.getModulus());
                case ECPrivateKey ec -> certified instanceof ECPublicKey && signs("SHA256withECDSA", key, certified);
                case EdECPrivateKey ed -> certified instanceof EdECPublicKey && signs("EdDSA", key, certified);
                default -> throw new IOException("unsupported private key algorithm " + key.getAlgorithm());
            };
        } catch (GeneralSecurityException e) {
            return false;   // a key of another curve or size fails to sign or verify
        }
    }

    private static boolean signs(String algorithm, PrivateKey key, PublicKey certified) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certified);
        verifier.update(PROBE);
        return verifier.verify(signature);
    }

    private static List<String> dnsNames(X509Certificate leaf, String source) throws IOException {
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IOException(source + ": unreadable subject alternative names: " + e.getMessage(), e);
        }
        List<String> dns = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.get(0) instanceof Integer type && type == DNS_NAME) dns.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(dns);
    }

    /** Whether this certificate names {@code hostName} (lower case) exactly. */
    boolean namesExactly(String hostName) {
        return hostNames.contains(hostName);
    }

    /**
     * Whether a wildcard of this certificate covers {@code hostName} (lower case): {@code *.example.com}
     * covers one label more ({@code a.example.com}), not the bare domain nor two labels (RFC 6125 §6.4.3).
     */
    boolean namesByWildcard(String hostName) {
        int dot = hostName.indexOf('.');
        if (dot <= 0) return false;
        for (String name : hostNames) {
            if (name.startsWith("*.") && hostName.regionMatches(dot, name, 1, name.length() - 1) && hostName.length() - dot == name.length() - 1) {
                return true;
            }
        }
        return false;
    }

    /** Whether the key suits {@code keyType} as JSSE names it ("RSA", "EC", "EdDSA"; "EC_RSA" means an EC key). */
    boolean suits(String keyType) {
        int underscore = keyType.indexOf('_');
        String algorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
        String ours = key.getAlgorithm();
        return algorithm.equals(ours) || algorithm.equals("EdDSA") && (ours.equals("Ed25519") || ours.equals("Ed448"));
    }
}
