package dev.bastion.toolkit.credentials;

/**
 * Checks on text that goes into a header or URL. OkHttp rejects a header value with a control or
 * non-ASCII character with a message that quotes the value, so a token is checked here first and
 * refused with a message that names its setting instead.
 */
final class TokenText {

    private static final String TOKEN_PUNCTUATION = "!#$%&'*+-.^_`|~";

    private TokenText() {
    }

    /** Whether {@code text} is an RFC 9110 token (a header name or an auth scheme). */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || TOKEN_PUNCTUATION.indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    static void requireHeaderName(String name) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid HTTP header name");
        }
    }

    /**
     * Refuses an empty value or one with a character outside visible ASCII; the message names the
     * setting and the position, never the value.
     */
    static void requireSendable(String value, String settingName) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(settingName + " is empty");
        }
        int bad = firstUnsendable(value);
        if (bad >= 0) {
            throw new IllegalArgumentException(settingName + " contains a character that cannot be sent in an"
                    + " HTTP header (position " + (bad + 1) + "); check for a stray space or line break");
        }
    }

    /** The index of the first character that is not visible ASCII, or {@code -1}. */
    static int firstUnsendable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return i;
            }
        }
        return -1;
    }
}
