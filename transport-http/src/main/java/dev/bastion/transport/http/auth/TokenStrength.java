package dev.bastion.transport.http.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a static bearer token is fit to guard a server. A token is refused when it could never be
 * presented (whitespace or characters outside RFC 6750's b64token), is shorter than
 * {@value #MIN_LENGTH} characters, repeats one shorter sequence, or has too little variety to be
 * random (under {@value #MIN_BITS_PER_CHARACTER} bits per character by its own character
 * frequencies; 32 random hexadecimal digits have about 3.5, and fewer than one in 300,000 of them
 * come below 2.9). The reasons never quote the token.
 */
public final class TokenStrength {

    public static final int MIN_LENGTH = 32;
    static final double MIN_BITS_PER_CHARACTER = 2.5;
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String HOW = "use at least " + MIN_LENGTH + " random characters, for example the output of "
            + "`openssl rand -base64 32`";

    private TokenStrength() {
    }

    /** Why {@code token} is refused, without quoting it; empty when it is fit. */
    public static Optional<String> weakness(String token) {
        if (token.codePoints().anyMatch(Character::isWhitespace)) {
            return Optional.of("contains whitespace, so no request could ever present it; remove it");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return Optional.of("contains characters a bearer token cannot carry (RFC 6750 allows letters, digits, "
                    + "- . _ ~ + / and trailing =), so no request could ever present it");
        }
        if (token.length() < MIN_LENGTH) {
            return Optional.of("is " + token.length() + " characters long; " + HOW);
        }
        if (periodic(token)) {
            return Optional.of("repeats one shorter sequence; " + HOW);
        }
        if (bitsPerCharacter(token) < MIN_BITS_PER_CHARACTER) {
            return Optional.of("has too little variety to be random; " + HOW);
        }
        return Optional.empty();
    }

    private static boolean periodic(String token) {
        int length = token.length();
        for (int period = 1; period <= length / 2; period++) {
            if (token.substring(period).equals(token.substring(0, length - period))) {
                return true;
            }
        }
        return false;
    }

    /** The Shannon entropy of the token's own character distribution. */
    static double bitsPerCharacter(String token) {
        Map<Character, Integer> counts = new HashMap<>();
        for (char c : token.toCharArray()) {
            counts.merge(c, 1, Integer::sum);
        }
        double bits = 0;
        for (int count : counts.values()) {
            double p = (double) count / token.length();
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
