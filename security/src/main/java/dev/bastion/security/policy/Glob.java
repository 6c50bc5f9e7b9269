package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A shell-style glob over a whole string: {@code *} matches any run of characters (spaces and
 * slashes included), {@code ?} one character, {@code [a-z0-9]} one character of a class
 * ({@code [!x]} negates). Every other character is literal. Used for tool-name filters, command
 * argument patterns and device command patterns; the JDK's path globs treat {@code /} specially,
 * which is wrong for those.
 */
public final class Glob {

    private final String source;
    private final Pattern pattern;

    private Glob(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** Compiles a case-sensitive glob. */
    public static Glob compile(String glob) {
        return compile(glob, false);
    }

    /**
     * Compiles a glob.
     *
     * @throws IllegalArgumentException with a message naming the glob when a character class is not closed
     */
    public static Glob compile(String glob, boolean ignoreCase) {
        requireNonNull(glob, "glob is null");
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new IllegalArgumentException("pattern '" + glob + "' has a '[' without a closing ']'");
                    }
                    regex.append(characterClass(glob.substring(i + 1, close)));
                    i = close;
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return new Glob(glob, Pattern.compile(regex.toString(), flags));
    }

    private static String characterClass(String body) {
        StringBuilder out = new StringBuilder("[");
        int start = 0;
        if (body.startsWith("!")) {
            out.append('^');
            start = 1;
        }
        for (int j = start; j < body.length(); j++) {
            char c = body.charAt(j);
            if (c == '-' && j > start && j < body.length() - 1) {
                out.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else {
                out.append('\\').append(c);
            }
        }
        return out.append(']').toString();
    }

    public boolean matches(String text) {
        return pattern.matcher(text).matches();
    }

    /** The glob as written. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
