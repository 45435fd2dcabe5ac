package io.fasthttp4j.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Key material made at test time with {@code openssl} and {@code keytool} in a temporary directory,
 * so that no private key is committed: a test CA (EC P-256) and the certificates it issues, with
 * their keys in the formats servers are given (PEM PKCS#8, PKCS#1, SEC1, PKCS#12, JKS), and client
 * contexts that trust the CA. Valid for two days. For the TLS tests and the server's HTTPS tests.
 */
public final class TestCertificates {
    /** The password of every key store made here. */
    public static final String PASSWORD = "changeit";
    private static final long TIMEOUT_SECONDS = 30;

    /** The key algorithm of an issued certificate. */
    public enum KeyType { RSA, EC }

    /**
     * An issued certificate: {@code chain} is a PEM file with the leaf then the CA, {@code key} the
     * leaf's PEM PKCS#8 private key, {@code leafFile} the leaf alone.
     */
    public record Issued(Path chain, Path key, Path leafFile, X509Certificate leaf) {
    }

    private final Path dir;
    private final Path caCert;
    private final Path caKey;
    private final AtomicInteger serial = new AtomicInteger(1000);

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
    }

    /** Makes a CA in {@code dir}. */
    public static TestCertificates newCa(Path dir) throws IOException {
        TestCertificates ca = new TestCertificates(dir);
        ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", ca.caKey.toString(), "-out", ca.caCert.toString(), "-subj", "/CN=fasthttp4j test CA", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /** The CA's certificate, PEM. */
    public Path caFile() {
        return caCert;
    }

    /** A certificate for {@code localhost} and 127.0.0.1 (server and client use). */
    public Issued issueLocalhost(KeyType type) throws IOException {
        return issue("localhost", type, "DNS:localhost", "IP:127.0.0.1");
    }

    /**
     * Issues a certificate with subject CN={@code commonName} and subject alternative names
     * {@code altNames} ("DNS:a.test", "IP:127.0.0.1"), for server and client authentication.
     * Each call makes new files and a new key, with a new serial number.
     */
    public Issued issue(String commonName, KeyType type, String... altNames) throws IOException {
        int number = serial.incrementAndGet();
        String base = commonName.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + number;
        Path key = dir.resolve(base + ".key");
        Path csr = dir.resolve(base + ".csr");
        Path leaf = dir.resolve(base + ".crt");
        Path ext = dir.resolve(base + ".ext");
        Path chain = dir.resolve(base + "-chain.pem");
        List<String> newKey = type == KeyType.RSA ? List.of("-newkey", "rsa:2048") : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        List<String> req = new ArrayList<>(List.of("req", "-new"));
        req.addAll(newKey);
        req.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + commonName));
        openssl(req.toArray(String[]::new));
        String extensions = "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n"
            + (altNames.length == 0 ? "" : "subjectAltName=" + String.join(",", altNames) + "\n");
        Files.writeString(ext, extensions);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
            "-set_serial", Integer.toString(number), "-days", "2", "-extfile", ext.toString(), "-out", leaf.toString());
        Files.writeString(chain, Files.readString(leaf) + Files.readString(caCert));
        return new Issued(chain, key, leaf, readCertificate(leaf));
    }

    /** The RSA key of {@code issued} in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public Path pkcs1Key(Issued issued) throws IOException {
        Path out = sibling(issued.key(), ".pkcs1.pem");
        openssl("rsa", "-in", issued.key().toString(), "-traditional", "-out", out.toString());
        return out;
    }

    /** The EC key of {@code issued} in SEC1 ({@code BEGIN EC PRIVATE KEY}). */
    public Path sec1Key(Issued issued) throws IOException {
        Path out = sibling(issued.key(), ".sec1.pem");
        openssl("ec", "-in", issued.key().toString(), "-out", out.toString());
        return out;
    }

    /** A PKCS#12 store (password {@value #PASSWORD}) with {@code issued}'s key and chain under {@code alias}. */
    public Path pkcs12(Issued issued, String alias) throws IOException {
        Path out = sibling(issued.key(), "." + alias + ".p12");
        openssl("pkcs12", "-export", "-in", issued.leafFile().toString(), "-inkey", issued.key().toString(),
            "-certfile", caCert.toString(), "-name", alias, "-passout", "pass:" + PASSWORD, "-out", out.toString());
        return out;
    }

    /** A self-signed RSA key pair made by keytool in a JKS store (password {@value #PASSWORD}) under {@code alias}. */
    public Path keytoolJks(String alias) throws IOException {
        Path out = dir.resolve(alias + "-" + serial.incrementAndGet() + ".jks");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        run(List.of(keytool.toString(), "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", alias,
            "-keystore", out.toString(), "-storetype", "JKS", "-storepass", PASSWORD, "-keypass", PASSWORD,
            "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2"));
        return out;
    }

    /** A client context that trusts this CA only. */
    public SSLContext clientContext() {
        return clientContext(null);
    }

    /** A client context that trusts this CA only and presents {@code clientCertificate} (null: none). */
    public SSLContext clientContext(Issued clientCertificate) {
        try {
            TrustManagerFactory tmf = trustManagerFactory();
            KeyManagerFactory kmf = null;
            if (clientCertificate != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(KeyStore.getInstance(pkcs12(clientCertificate, "client").toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust manager that trusts this CA only, for clients that take one with their socket factory (OkHttp). */
    public X509TrustManager trustManager() {
        try {
            return (X509TrustManager) trustManagerFactory().getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TrustManagerFactory trustManagerFactory() throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", readCertificate(caCert));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        return tmf;
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": " + e.getMessage(), e);
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(command);
    }

    /** Runs {@code command} in the directory; fails with its output when it fails or takes over 30 s. */
    static String run(List<String> command) throws IOException {
        Path log = Files.createTempFile("fasthttp4j-tls", ".log");   // a file, not a pipe: a chatty tool never blocks on it
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            process.getOutputStream().close();
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) process.destroyForcibly();
            String output = Files.readString(log, StandardCharsets.ISO_8859_1);
            if (!exited) throw new IOException("timed out: " + command + "\n" + output);
            if (process.exitValue() != 0) throw new IOException("failed (" + process.exitValue() + "): " + command + "\n" + output);
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
