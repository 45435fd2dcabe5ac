package io.fasthttp4j.tls;

import static io.fasthttp4j.tls.TestCertificates.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fasthttp4j.tls.TestCertificates.Issued;
import io.fasthttp4j.tls.TestCertificates.KeyType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Building a TlsConfig from files: every key format, the precise errors, reload, and the engines it makes. */
@Timeout(60)
class TlsConfigTest {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static Issued rsa;
    static Issued ec;

    @BeforeAll
    static void makeCertificates() throws IOException {
        ca = TestCertificates.newCa(dir);
        rsa = ca.issueLocalhost(KeyType.RSA);
        ec = ca.issueLocalhost(KeyType.EC);
    }

    /** The certificate chain the config serves a client that sends no SNI. */
    private static X509Certificate[] servedChain(TlsConfig config) throws SSLException {
        return InMemoryHandshake.servedChain(config.newEngine(null), null);
    }

    @Test
    void loadsPemRsaKeyWithItsChain() throws IOException {
        TlsConfig config = TlsConfig.builder().certificate(rsa.chain(), rsa.key()).build();
        X509Certificate[] chain = servedChain(config);
        assertEquals(2, chain.length, "leaf and CA");
        assertEquals(rsa.leaf(), chain[0]);
        assertEquals(TestCertificates.readCertificate(ca.caFile()), chain[1]);
    }

    @Test
    void loadsPemEcKey() throws IOException {
        TlsConfig config = TlsConfig.builder().certificate(ec.chain(), ec.key()).build();
        assertEquals(ec.leaf(), servedChain(config)[0]);
    }

    @Test
    void loadsPkcs1RsaKey() throws IOException {
        Path pkcs1 = ca.pkcs1Key(rsa);
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"), "openssl wrote PKCS#1");
        TlsConfig config = TlsConfig.builder().certificate(rsa.chain(), pkcs1).build();
        assertEquals(rsa.leaf(), servedChain(config)[0]);
        PrivateKey fromPkcs1 = PemReader.privateKey(pkcs1);
        assertArrayEquals(PemReader.privateKey(rsa.key()).getEncoded(), fromPkcs1.getEncoded(), "the same key as its PKCS#8 form");
    }

    @Test
    void refusesSec1EcKeyNamingTheOpensslCommand() throws IOException {
        Path sec1 = ca.sec1Key(ec);
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(ec.chain(), sec1).build());
        assertTrue(e.getMessage().contains("key file " + sec1), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + sec1), e.getMessage());
    }

    @Test
    void namesTheFileThatHasNoCertificateBlock() {
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(rsa.key(), rsa.key()).build());
        assertEquals("certificate file " + rsa.key() + ": no CERTIFICATE block", e.getMessage());
    }

    @Test
    void namesTheFileThatHasNoPrivateKey() {
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(rsa.chain(), rsa.chain()).build());
        assertEquals("key file " + rsa.chain() + ": no PRIVATE KEY block", e.getMessage());
    }

    @Test
    void refusesKeyOfAnotherCertificate() throws IOException {
        Issued other = ca.issueLocalhost(KeyType.RSA);
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(rsa.chain(), other.key()).build());
        assertEquals("key file " + other.key() + " and certificate file " + rsa.chain() + ": private key does not match certificate", e.getMessage());
        var mixed = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(rsa.chain(), ec.key()).build());
        assertTrue(mixed.getMessage().endsWith("private key does not match certificate"), mixed.getMessage());
        var otherEc = ca.issueLocalhost(KeyType.EC);
        var ecMismatch = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(ec.chain(), otherEc.key()).build());
        assertTrue(ecMismatch.getMessage().endsWith("private key does not match certificate"), ecMismatch.getMessage());
    }

    @Test
    void namesAMissingFile() {
        Path missing = dir.resolve("missing.pem");
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(missing, rsa.key()).build());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void servesTheCertificateTheSniNameSelects() throws IOException {
        Issued wildcard = ca.issue("example.test", KeyType.EC, "DNS:*.example.test", "DNS:example.test");
        Issued exact = ca.issue("api.example.test", KeyType.RSA, "DNS:api.example.test");
        TlsConfig config = TlsConfig.builder()
            .certificate(rsa.chain(), rsa.key())   // the default
            .certificate(wildcard.chain(), wildcard.key())
            .certificate(exact.chain(), exact.key())
            .build();
        assertEquals(exact.leaf(), InMemoryHandshake.servedChain(config.newEngine(null), "api.example.test")[0]);
        assertEquals(wildcard.leaf(), InMemoryHandshake.servedChain(config.newEngine(null), "www.example.test")[0]);
        assertEquals(wildcard.leaf(), InMemoryHandshake.servedChain(config.newEngine(null), "example.test")[0]);
        assertEquals(rsa.leaf(), InMemoryHandshake.servedChain(config.newEngine(null), "a.b.example.test")[0], "a wildcard covers one label");
        assertEquals(rsa.leaf(), InMemoryHandshake.servedChain(config.newEngine(null), "other.test")[0]);
        assertEquals(rsa.leaf(), InMemoryHandshake.servedChain(config.newEngine(null), null)[0]);
    }

    @Test
    void loadsPkcs12KeyStoreEntryByAlias() throws IOException {
        Path store = ca.pkcs12(ec, "web");
        TlsConfig byAlias = TlsConfig.builder().keyStore(store, PASSWORD.toCharArray(), "web").build();
        assertEquals(ec.leaf(), servedChain(byAlias)[0]);
        TlsConfig onlyEntry = TlsConfig.builder().keyStore(store, PASSWORD.toCharArray()).build();
        assertEquals(ec.leaf(), servedChain(onlyEntry)[0]);
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().keyStore(store, PASSWORD.toCharArray(), "api").build());
        assertEquals("key store " + store + ": no key entry api; key entries: [web]", e.getMessage());
    }

    @Test
    void namesTheKeyStoreWhosePasswordIsWrong() throws IOException {
        Path store = ca.pkcs12(rsa, "web");
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().keyStore(store, "wrong".toCharArray()).build());
        assertTrue(e.getMessage().startsWith("key store " + store + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void readsTrustedCasFromAKeyStoreAndNamesItWhenThePasswordIsWrong() throws IOException {
        Path store = ca.keytoolJks("trusted");
        TlsConfig config = TlsConfig.builder().certificate(rsa.chain(), rsa.key())
            .clientAuth(ClientAuth.WANT).trustStore(store, PASSWORD.toCharArray()).build();
        assertEquals(ClientAuth.WANT, config.clientAuth());
        var e = assertThrows(IOException.class, () -> TlsConfig.builder().certificate(rsa.chain(), rsa.key())
            .clientAuth(ClientAuth.WANT).trustStore(store, "wrong".toCharArray()).build());
        assertTrue(e.getMessage().startsWith("key store " + store + ": "), e.getMessage());
    }

    @Test
    void loadsJksMadeByKeytool() throws IOException {
        Path store = ca.keytoolJks("site");
        TlsConfig config = TlsConfig.builder().keyStore(store, PASSWORD.toCharArray(), "site").build();
        assertEquals("CN=localhost", servedChain(config)[0].getSubjectX500Principal().getName());
    }

    @Test
    void hasTheDocumentedDefaults() throws IOException {
        TlsConfig config = TlsConfig.builder().certificate(rsa.chain(), rsa.key()).build();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), config.protocols());
        assertEquals(List.of("http/1.1"), config.applicationProtocols());
        assertEquals(null, config.cipherSuites());
        assertEquals(ClientAuth.NONE, config.clientAuth());
        assertEquals(Duration.ofSeconds(10), config.handshakeTimeout());
    }

    @Test
    void makesServerEnginesWithTheSettings() throws IOException {
        TlsConfig config = TlsConfig.builder()
            .certificate(rsa.chain(), rsa.key())
            .protocols("TLSv1.2")
            .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
            .applicationProtocols("h2", "http/1.1")
            .clientAuth(ClientAuth.NEED)
            .trustedCertificates(ca.caFile())
            .build();
        SSLEngine engine = config.newEngine(new InetSocketAddress("127.0.0.1", 40000));
        assertFalse(engine.getUseClientMode());
        assertArrayEquals(new String[] {"TLSv1.2"}, engine.getEnabledProtocols());
        assertArrayEquals(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}, engine.getEnabledCipherSuites());
        assertArrayEquals(new String[] {"h2", "http/1.1"}, engine.getSSLParameters().getApplicationProtocols());
        assertTrue(engine.getNeedClientAuth());
        assertEquals("127.0.0.1", engine.getPeerHost());
        assertEquals(40000, engine.getPeerPort());
    }

    @Test
    void refusesContradictorySettings() {
        var noCertificate = assertThrows(IllegalStateException.class, () -> TlsConfig.builder().build());
        assertTrue(noCertificate.getMessage().startsWith("no certificate"), noCertificate.getMessage());
        var needWithoutCas = assertThrows(IllegalStateException.class,
            () -> TlsConfig.builder().certificate(rsa.chain(), rsa.key()).clientAuth(ClientAuth.NEED).build());
        assertTrue(needWithoutCas.getMessage().startsWith("clientAuth NEED needs trusted CAs"), needWithoutCas.getMessage());
        var casWithoutAuth = assertThrows(IllegalStateException.class,
            () -> TlsConfig.builder().certificate(rsa.chain(), rsa.key()).trustedCertificates(ca.caFile()).build());
        assertTrue(casWithoutAuth.getMessage().contains("clientAuth is NONE"), casWithoutAuth.getMessage());
        var unknownProtocol = assertThrows(IllegalArgumentException.class,
            () -> TlsConfig.builder().certificate(rsa.chain(), rsa.key()).protocols("TLSv9").build());
        assertTrue(unknownProtocol.getMessage().startsWith("unsupported protocol TLSv9"), unknownProtocol.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.builder().handshakeTimeout(Duration.ZERO));
    }

    @Test
    void reloadServesTheRenewedFiles() throws IOException {
        Path chain = dir.resolve("reload-chain.pem");
        Path key = dir.resolve("reload-key.pem");
        Files.copy(rsa.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(rsa.key(), key, StandardCopyOption.REPLACE_EXISTING);
        TlsConfig config = TlsConfig.builder().certificate(chain, key).build();
        SSLContext before = config.sslContext();

        Issued renewed = ca.issueLocalhost(KeyType.RSA);
        Files.copy(renewed.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING);
        config.reload();

        assertNotSame(before, config.sslContext());
        assertEquals(renewed.leaf(), servedChain(config)[0]);
        assertEquals(rsa.leaf(), servedChain(TlsConfig.builder().certificate(rsa.chain(), rsa.key()).build())[0]);
    }

    @Test
    void failedReloadKeepsTheMaterialInUseAndNamesTheFile() throws IOException {
        Path chain = dir.resolve("failing-chain.pem");
        Path key = dir.resolve("failing-key.pem");
        Files.copy(rsa.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(rsa.key(), key, StandardCopyOption.REPLACE_EXISTING);
        TlsConfig config = TlsConfig.builder().certificate(chain, key).build();
        SSLContext before = config.sslContext();

        Files.copy(ec.key(), key, StandardCopyOption.REPLACE_EXISTING);   // half-renewed: the new key, the old certificate
        var e = assertThrows(IOException.class, config::reload);
        assertTrue(e.getMessage().contains("key file " + key), e.getMessage());
        assertTrue(e.getMessage().endsWith("private key does not match certificate"), e.getMessage());
        assertSame(before, config.sslContext());
        assertEquals(rsa.leaf(), servedChain(config)[0]);
    }

    @Test
    void refusesToReloadAGivenContext() throws Exception {
        SSLContext given = TlsConfig.builder().certificate(rsa.chain(), rsa.key()).build().sslContext();
        TlsConfig config = TlsConfig.builder().sslContext(given).build();
        assertSame(given, config.sslContext());
        assertThrows(IllegalStateException.class, config::reload);
    }
}
