package io.fasthttp4j.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which certificate the key manager picks for an SNI host name and a key type. */
class SniKeyManagerTest {
    private static final PrivateKey RSA = key("RSA");
    private static final PrivateKey EC = key("EC");
    // alias = index: 0 the default; 1 and 2 share a name with different key types; 3 a wildcard; 4 an exact name under it
    private static final SniKeyManager KEYS = new SniKeyManager(List.of(
        certified(RSA, "localhost"),
        certified(RSA, "api.example.test"),
        certified(EC, "api.example.test"),
        certified(EC, "*.example.test", "example.test"),
        certified(RSA, "web.example.test")));

    private static PrivateKey key(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertifiedKey certified(PrivateKey key, String... names) {
        return new CertifiedKey(new X509Certificate[0], key, List.of(names));
    }

    static Stream<Arguments> choices() {
        return Stream.of(
            arguments("no SNI: the default", null, "RSA", "0"),
            arguments("no SNI, the default's key type not asked", null, "EC", null),
            arguments("exact name, RSA", "api.example.test", "RSA", "1"),
            arguments("exact name, EC", "api.example.test", "EC", "2"),
            arguments("exact name beats wildcard", "api.example.test", "EC", "2"),
            arguments("exact name of another key type beats wildcard", "web.example.test", "EC", null),
            arguments("wildcard", "www.example.test", "EC", "3"),
            arguments("wildcard's key type not asked: JSSE asks the next type", "www.example.test", "RSA", null),
            arguments("bare domain listed beside its wildcard", "example.test", "EC", "3"),
            arguments("wildcard covers one label only: the default", "a.b.example.test", "RSA", "0"),
            arguments("unknown name: the default", "other.test", "RSA", "0"),
            arguments("TLS 1.2 ECDH_RSA key type means an EC key", "www.example.test", "EC_RSA", "3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("choices")
    void choosesByHostNameThenKeyType(String name, String hostName, String keyType, String alias) {
        assertEquals(alias, KEYS.choose(keyType, hostName));
    }

    @Test
    void answersForItsAliasesOnly() {
        assertEquals(EC, KEYS.getPrivateKey("2"));
        assertNull(KEYS.getPrivateKey("5"));
        assertNull(KEYS.getPrivateKey("web"));
        assertNull(KEYS.getCertificateChain(null));
        assertArrayEquals(new String[] {"2", "3"}, KEYS.getServerAliases("EC", null));
        assertNull(KEYS.chooseClientAlias(new String[] {"RSA"}, null, null), "a server key manager");
    }
}
