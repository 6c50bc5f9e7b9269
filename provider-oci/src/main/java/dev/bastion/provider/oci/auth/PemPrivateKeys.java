package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RSA private keys in the PEM forms OCI users have: PKCS#8 ({@code BEGIN PRIVATE KEY}, what the
 * console generates), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, older openssl), encrypted PKCS#8
 * ({@code BEGIN ENCRYPTED PRIVATE KEY}) and OpenSSL's legacy encrypted PKCS#1
 * ({@code Proc-Type: 4,ENCRYPTED} with {@code DEK-Info}). Messages name the source and the problem,
 * never key material or the pass phrase.
 */
public final class PemPrivateKeys {

    /** OID 1.2.840.113549.1.1.1 (rsaEncryption) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemPrivateKeys() {
    }

    /**
     * Parses {@code pem}.
     *
     * @param passPhrase the pass phrase of an encrypted key, or {@code null}
     * @param source the file name, for messages
     * @throws KeyFileException naming what is wrong
     */
    public static RSAPrivateCrtKey read(String pem, Secret passPhrase, String source) {
        requireNonNull(pem, "pem is null");
        requireNonNull(source, "source is null");
        Block block = Block.parse(pem, source);
        byte[] pkcs8 = switch (block.label()) {
            case "PRIVATE KEY" -> block.der();
            case "RSA PRIVATE KEY" -> wrapPkcs1(block.encrypted()
                    ? decryptLegacy(block, requirePassPhrase(passPhrase, source), source) : block.der());
            case "ENCRYPTED PRIVATE KEY" -> decryptPkcs8(block.der(), requirePassPhrase(passPhrase, source), source);
            case "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY" -> throw new KeyFileException(source
                    + " holds a " + block.label().toLowerCase(Locale.ROOT) + "; OCI API keys are RSA keys in PEM format"
                    + " (generate one with: openssl genrsa -out oci_api_key.pem 2048)");
            default -> throw new KeyFileException(source + " holds a PEM block '" + block.label()
                    + "', not an RSA private key");
        };
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source + " does not hold a valid RSA private key"
                    + (block.encrypted() || block.label().startsWith("ENCRYPTED") ? " (is the pass_phrase right?)" : ""));
        }
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new KeyFileException(source + " holds an RSA key without its public exponent; export it again with"
                    + " openssl pkcs8 -topk8 -nocrypt");
        }
        return crt;
    }

    /**
     * The OCI fingerprint of the key: the MD5 of the DER SubjectPublicKeyInfo of its public key, as
     * colon-separated lowercase hex (what the console shows and {@code openssl rsa -pubout -outform DER | openssl md5 -c} prints).
     */
    public static String fingerprint(RSAPrivateCrtKey key) {
        requireNonNull(key, "key is null");
        try {
            byte[] spki = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
            byte[] digest = MessageDigest.getInstance("MD5").digest(spki);
            return HexFormat.ofDelimiter(":").formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks RSA or MD5", e);
        }
    }

    private static Secret requirePassPhrase(Secret passPhrase, String source) {
        if (passPhrase == null || passPhrase.isEmpty()) {
            throw new KeyFileException(source + " is encrypted; set pass_phrase in the profile of the OCI config file");
        }
        return passPhrase;
    }

    private static byte[] decryptPkcs8(byte[] der, Secret passPhrase, String source) {
        char[] password = passPhrase.reveal().toCharArray();
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters parameters = info.getAlgParameters();
            // For PBES2 the parameters name the concrete scheme, such as PBEWithHmacSHA256AndAES_256.
            String algorithm = parameters != null ? parameters.toString() : info.getAlgName();
            SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, key, parameters);
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new KeyFileException(source + " is encrypted with a scheme this Java runtime does not support;"
                    + " convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in <key> -out <new key>");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new KeyFileException(source + " could not be decrypted: the pass_phrase is wrong or the file is damaged");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** OpenSSL's traditional encryption: key = EVP_BytesToKey(MD5, pass phrase, first 8 IV bytes as salt, 1 round). */
    private static byte[] decryptLegacy(Block block, Secret passPhrase, String source) {
        String dekInfo = block.headers().get("DEK-Info");
        if (dekInfo == null || dekInfo.indexOf(',') < 0) {
            throw new KeyFileException(source + " says it is encrypted but has no DEK-Info header");
        }
        String cipherName = dekInfo.substring(0, dekInfo.indexOf(',')).strip().toUpperCase(Locale.ROOT);
        byte[] iv;
        try {
            iv = HexFormat.of().parseHex(dekInfo.substring(dekInfo.indexOf(',') + 1).strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source + " has a DEK-Info header whose IV is not hex");
        }
        String transformation;
        String keyAlgorithm;
        int keyLength;
        switch (cipherName) {
            case "AES-128-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 16; }
            case "AES-192-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 24; }
            case "AES-256-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 32; }
            case "DES-EDE3-CBC" -> { transformation = "DESede/CBC/PKCS5Padding"; keyAlgorithm = "DESede"; keyLength = 24; }
            default -> throw new KeyFileException(source + " is encrypted with " + cipherName + ", which is not supported;"
                    + " convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in <key> -out <new key>");
        }
        if (iv.length < 8) {
            throw new KeyFileException(source + " has a DEK-Info IV shorter than 8 bytes");
        }
        byte[] password = passPhrase.reveal().getBytes(StandardCharsets.UTF_8);
        byte[] key = null;
        try {
            key = bytesToKey(password, Arrays.copyOf(iv, 8), keyLength);
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
            return cipher.doFinal(block.der());
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source + " could not be decrypted: the pass_phrase is wrong or the file is damaged");
        } finally {
            Arrays.fill(password, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private static byte[] bytesToKey(byte[] password, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        while (out.size() < length) {
            md5.update(previous);
            md5.update(password);
            md5.update(salt);
            previous = md5.digest();
            out.writeBytes(previous);
        }
        return Arrays.copyOf(out.toByteArray(), length);
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        return Der.sequence(new byte[] {Der.INTEGER, 0x01, 0x00}, RSA_ALGORITHM_IDENTIFIER,
                Der.tlv(Der.OCTET_STRING, pkcs1));
    }

    /** One PEM block: its label, RFC 1421 headers and decoded body. */
    private record Block(String label, Map<String, String> headers, byte[] der) {

        boolean encrypted() {
            String procType = headers.get("Proc-Type");
            return procType != null && procType.replace(" ", "").equalsIgnoreCase("4,ENCRYPTED");
        }

        static Block parse(String pem, String source) {
            int begin = pem.indexOf("-----BEGIN ");
            if (begin < 0) {
                throw new KeyFileException(source + " is not a PEM file (no -----BEGIN line); OCI needs the private key"
                        + " in PEM format");
            }
            int labelEnd = pem.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new KeyFileException(source + " has a damaged -----BEGIN line");
            }
            String label = pem.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = pem.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new KeyFileException(source + " has no " + endLine + " line (truncated?)");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            for (String line : pem.substring(labelEnd + 5, end).split("\\R")) {
                String trimmed = line.strip();
                int colon = trimmed.indexOf(':');
                if (colon > 0 && base64.length() == 0) {
                    headers.put(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 1).strip());
                } else {
                    base64.append(trimmed);
                }
            }
            try {
                return new Block(label, Map.copyOf(headers), Base64.getMimeDecoder().decode(base64.toString()));
            } catch (IllegalArgumentException e) {
                throw new KeyFileException(source + " has a PEM body that is not valid base64");
            }
        }
    }
}
