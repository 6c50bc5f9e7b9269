package dev.bastion.security.validate;

/**
 * The one rule for characters that may never enter a backend query or a command: control characters
 * (line breaks included), line and paragraph separators (U+2028, U+2029) and invisible formatting
 * characters such as bidirectional overrides (U+202E) and zero-width spaces. They are what no name,
 * tag or argument contains, and what makes a value read differently from what it is.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Whether {@code c} is such a character. */
    public static boolean breaksQueryText(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** The index of the first such character in {@code text}, or -1. */
    public static int firstBreaking(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (breaksQueryText(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
