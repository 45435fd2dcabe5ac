package io.fasthttp4j.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files (RFC 7468): certificate chains, and one private key in PKCS#8 ({@code PRIVATE KEY}:
 * RSA, EC, EdDSA) or PKCS#1 ({@code RSA PRIVATE KEY}). Other key formats are refused with the openssl
 * command that converts them. Every error names the file.
 */
final class PemReader {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");
    // RFC 5208 §5 PrivateKeyInfo up to the key: version 0, then AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters.
    private static final byte[] RSA_PKCS8_HEAD = {
        0x02, 0x01, 0x00,
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemReader() {
    }

    private record Block(String label, byte[] der) {
    }

    /** The certificates of {@code file}, in file order (the leaf first, for a chain). */
    static X509Certificate[] certificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (!block.label.equals("CERTIFICATE")) continue;
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der)));
            }
        } catch (CertificateException e) {
            throw new IOException("certificate file " + file + ": block " + (certificates.size() + 1) + " is not an X.509 certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) throw new IOException("certificate file " + file + ": no CERTIFICATE block");
        return certificates.toArray(X509Certificate[]::new);
    }

    /** The one private key of {@code file}. */
    static PrivateKey privateKey(Path file) throws IOException {
        Block key = null;
        for (Block block : blocks(file)) {
            if (!block.label.endsWith("PRIVATE KEY")) continue;
            if (key != null) throw new IOException("key file " + file + ": more than one PRIVATE KEY block");
            key = block;
        }
        if (key == null) throw new IOException("key file " + file + ": no PRIVATE KEY block");
        return switch (key.label) {
            case "PRIVATE KEY" -> pkcs8(key.der, file);
            case "RSA PRIVATE KEY" -> pkcs8(pkcs1ToPkcs8(key.der), file);
            case "ENCRYPTED PRIVATE KEY" -> throw new IOException("key file " + file
                + ": the key is encrypted; decrypt it with: openssl pkcs8 -in " + file + " -out key.pem");
            default -> throw new IOException("key file " + file + ": '" + key.label + "' is not supported; convert it to PKCS#8 with: "
                + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        };
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);   // never fails on stray bytes around the blocks
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String label = matcher.group(1);
            String body = matcher.group(2);
            if (body.indexOf(':') >= 0) {   // RFC 1421 headers (Proc-Type: 4,ENCRYPTED): an OpenSSL-encrypted key
                throw new IOException("file " + file + ": the " + label + " block is encrypted; decrypt it with: "
                    + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
            }
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new IOException("file " + file + ": the " + label + " block is not valid base64: " + e.getMessage(), e);
            }
        }
        return blocks;
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new IOException("key file " + file + ": not an RSA, EC or EdDSA private key in PKCS#8");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which the JDK's KeyFactory reads. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] key = der(0x04, pkcs1);   // OCTET STRING
        byte[] body = new byte[RSA_PKCS8_HEAD.length + key.length];
        System.arraycopy(RSA_PKCS8_HEAD, 0, body, 0, RSA_PKCS8_HEAD.length);
        System.arraycopy(key, 0, body, RSA_PKCS8_HEAD.length, key.length);
        return der(0x30, body);   // SEQUENCE
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int lengthBytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
            out.write(0x80 | lengthBytes);
            for (int shift = (lengthBytes - 1) * 8; shift >= 0; shift -= 8) out.write(length >>> shift);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
