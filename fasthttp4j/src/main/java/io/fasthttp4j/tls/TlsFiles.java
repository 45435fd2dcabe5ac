package io.fasthttp4j.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The files a {@link TlsConfig} reads: its certificates with their keys, and the CAs it trusts for
 * client certificates. {@link #load()} reads them all into a new {@link SSLContext}, once at build
 * and again at each reload. Immutable.
 */
final class TlsFiles {
    private final List<KeySource> keys;   // [0] is the default certificate
    private final TrustSource trust;      // null: client certificates are not checked
    private final java.security.Provider provider;   // null: the JDK's

    TlsFiles(List<KeySource> keys, TrustSource trust, java.security.Provider provider) {
        this.keys = List.copyOf(keys);
        this.trust = trust;
        this.provider = provider;
    }

    /** Where a certificate and its key come from. */
    sealed interface KeySource permits PemPair, StoreEntry {
        CertifiedKey load() throws IOException;
    }

    /** A PEM certificate chain (leaf first) and the PEM private key of its leaf. */
    record PemPair(Path chainFile, Path keyFile) implements KeySource {
        @Override
        public CertifiedKey load() throws IOException {
            X509Certificate[] chain = PemReader.certificates(chainFile);
            PrivateKey key = PemReader.privateKey(keyFile);
            return CertifiedKey.of(chain, key, "key file " + keyFile + " and certificate file " + chainFile);
        }
    }

    /** A key entry of a PKCS#12 or JKS key store; alias null: the store's only key entry. The key's password is the store's. */
    record StoreEntry(Path file, char[] password, String alias) implements KeySource {
        @Override
        public CertifiedKey load() throws IOException {
            KeyStore store = loadStore(file, password);
            String name = alias != null ? alias : onlyKeyAlias(store);
            String source = "key store " + file + " alias " + name;
            try {
                if (!store.isKeyEntry(name)) throw new IOException("key store " + file + ": no key entry " + name + "; key entries: " + keyAliases(store));
                Key key = store.getKey(name, password);
                if (!(key instanceof PrivateKey privateKey)) throw new IOException(source + ": not a private key");
                Certificate[] chain = store.getCertificateChain(name);
                if (chain == null || chain.length == 0) throw new IOException(source + ": no certificate chain");
                X509Certificate[] x509 = new X509Certificate[chain.length];
                for (int i = 0; i < chain.length; i++) x509[i] = (X509Certificate) chain[i];
                return CertifiedKey.of(x509, privateKey, source);
            } catch (GeneralSecurityException e) {
                throw new IOException(source + ": cannot read the key with the store's password: " + e.getMessage(), e);
            }
        }

        private String onlyKeyAlias(KeyStore store) throws IOException {
            List<String> aliases = keyAliases(store);
            if (aliases.size() != 1) {
                throw new IOException("key store " + file + " has " + aliases.size() + " key entries " + aliases + "; name one with keyStore(file, password, alias)");
            }
            return aliases.getFirst();
        }

        private List<String> keyAliases(KeyStore store) throws IOException {
            try {
                List<String> aliases = new ArrayList<>();
                for (String name : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(name)) aliases.add(name);
                }
                Collections.sort(aliases);
                return aliases;
            } catch (GeneralSecurityException e) {
                throw new IOException("key store " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Where the CAs that client certificates must chain to come from. */
    sealed interface TrustSource permits PemTrust, StoreTrust {
        KeyStore load() throws IOException;
    }

    /** A PEM file of CA certificates. */
    record PemTrust(Path caFile) implements TrustSource {
        @Override
        public KeyStore load() throws IOException {
            X509Certificate[] cas = PemReader.certificates(caFile);
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < cas.length; i++) store.setCertificateEntry("ca" + i, cas[i]);
                return store;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's PKCS12 key store is missing", e);
            }
        }
    }

    /** A PKCS#12 or JKS trust store: its certificate entries. */
    record StoreTrust(Path file, char[] password) implements TrustSource {
        @Override
        public KeyStore load() throws IOException {
            return loadStore(file, password);
        }
    }

    private static KeyStore loadStore(Path file, char[] password) throws IOException {
        try {
            return KeyStore.getInstance(file.toFile(), password);   // detects PKCS#12, JKS, JCEKS
        } catch (GeneralSecurityException e) {
            throw new IOException("key store " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("key store " + file + ": " + e.getMessage() + " (wrong password, or not a PKCS#12 or JKS file)", e);
        }
    }

    /** Reads every file again into a new server context; throws, naming the file, if one is missing or wrong. */
    SSLContext load() throws IOException {
        List<CertifiedKey> loaded = new ArrayList<>(keys.size());
        for (KeySource source : keys) loaded.add(source.load());
        TrustManager[] trustManagers = trust == null ? null : trustManagers(trust.load());
        try {
            SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
            context.init(new KeyManager[] {new SniKeyManager(loaded)}, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException((provider == null ? "the JDK's" : provider.getName() + "'s") + " TLS context cannot start", e);
        }
    }

    private static TrustManager[] trustManagers(KeyStore cas) throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(cas);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("trusted CAs: " + e.getMessage(), e);
        }
    }
}
