package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;

/**
 * Random credentials in a backend's own shape, built from random runs of an alphabet, for example
 * {@code "dt0c01." + random(BASE32, 24) + "." + random(BASE32, 64)}: shaped like the real thing so
 * the redactor and the provider's format checks treat them as they would a real one.
 */
public final class SandboxCredentials {

    public static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    public static final String HEX = "0123456789abcdef";
    public static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private SandboxCredentials() {
    }

    /** {@code length} characters drawn uniformly from {@code alphabet} with a secure random source. */
    public static String random(String alphabet, int length) {
        requireNonNull(alphabet, "alphabet is null");
        if (alphabet.length() < 2) {
            throw new IllegalArgumentException("an alphabet needs at least two characters");
        }
        if (length < 1) {
            throw new IllegalArgumentException("length must be positive, not " + length);
        }
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
