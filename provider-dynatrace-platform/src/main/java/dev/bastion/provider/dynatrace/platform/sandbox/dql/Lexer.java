package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import dev.bastion.provider.dynatrace.platform.sandbox.dql.Token.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits DQL text into tokens. Whitespace (newlines included) separates tokens, {@code //} starts a comment to the end
 * of the line, strings are double-quoted with backslash escapes, names may be dotted ({@code dt.entity.host}) or in
 * backticks, and a number followed by a unit ({@code 5m}, {@code 2h}, {@code 500ms}) is a duration.
 */
final class Lexer {

    private final Source src;
    private final String s;
    private int i;

    private Lexer(Source src) {
        this.src = src;
        this.s = src.text();
    }

    static List<Token> tokenize(Source src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (i >= s.length()) {
                out.add(new Token(Kind.EOF, "", null, false, s.length(), s.length()));
                return out;
            }
            out.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = i;
        char c = s.charAt(i);
        if (c == '"') {
            return string();
        }
        if (c == '\'') {
            throw src.error(DqlException.PARSE_ERROR_SINGLE_QUOTES,
                    "Single quotes are not allowed. Use double quotes for string literals.", start, start + 1);
        }
        if (c == '`') {
            return backtickName();
        }
        if (Character.isDigit(c)) {
            return number();
        }
        if (isNameStart(c)) {
            return name();
        }
        i++;
        char n = i < s.length() ? s.charAt(i) : '\0';
        switch (c) {
            case '|': return tok(Kind.PIPE, start);
            case ',': return tok(Kind.COMMA, start);
            case ':': return tok(Kind.COLON, start);
            case '(': return tok(Kind.LPAREN, start);
            case ')': return tok(Kind.RPAREN, start);
            case '{': return tok(Kind.LBRACE, start);
            case '}': return tok(Kind.RBRACE, start);
            case '[': return tok(Kind.LBRACKET, start);
            case ']': return tok(Kind.RBRACKET, start);
            case '+': return tok(Kind.PLUS, start);
            case '-': return tok(Kind.MINUS, start);
            case '*': return tok(Kind.STAR, start);
            case '/': return tok(Kind.SLASH, start);
            case '%': return tok(Kind.PERCENT, start);
            case '=':
                if (n == '=') {
                    i++;
                    return tok(Kind.EQ, start);
                }
                return tok(Kind.ASSIGN, start);
            case '!':
                if (n == '=') {
                    i++;
                    return tok(Kind.NE, start);
                }
                break;
            case '<':
                if (n == '=') {
                    i++;
                    return tok(Kind.LE, start);
                }
                return tok(Kind.LT, start);
            case '>':
                if (n == '=') {
                    i++;
                    return tok(Kind.GE, start);
                }
                return tok(Kind.GT, start);
            default:
                break;
        }
        throw src.error(DqlException.PARSE_ERROR, "The character `" + c + "` isn't allowed here.", start, start + 1,
                String.valueOf(c));
    }

    private Token tok(Kind kind, int start) {
        return new Token(kind, s.substring(start, i), null, false, start, i);
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private Token name() {
        int start = i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isNamePart(c)) {
                i++;
            } else if (c == '.' && i + 1 < s.length() && isNamePart(s.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        String text = s.substring(start, i);
        return new Token(Kind.IDENT, text, null, false, start, i);
    }

    private Token backtickName() {
        int start = i;
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw src.error(DqlException.PARSE_ERROR, "The field name in backticks isn't closed.", start, start + 1);
            }
            char c = s.charAt(i++);
            if (c == '`') {
                if (i < s.length() && s.charAt(i) == '`') {
                    b.append('`');
                    i++;
                    continue;
                }
                break;
            }
            b.append(c);
        }
        if (b.length() == 0) {
            throw src.error(DqlException.PARSE_ERROR, "A field name can't be empty.", start, i);
        }
        return new Token(Kind.IDENT, b.toString(), null, true, start, i);
    }

    private Token string() {
        int start = i;
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw src.error(DqlException.PARSE_ERROR, "The string literal isn't closed; add a closing `\"`.",
                        start, start + 1);
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                break;
            }
            if (c == '\\') {
                int escStart = i;
                if (i + 1 >= s.length()) {
                    throw src.error(DqlException.PARSE_ERROR, "The string literal isn't closed; add a closing `\"`.",
                            start, start + 1);
                }
                char e = s.charAt(i + 1);
                i += 2;
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                            throw src.error(DqlException.PARSE_ERROR,
                                    "`\\u` must be followed by four hexadecimal digits.", escStart, Math.min(i + 4, s.length()));
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw src.error(DqlException.PARSE_ERROR,
                            "The escape sequence `\\" + e + "` isn't valid in a string.", escStart, escStart + 2,
                            "\\" + e);
                }
                continue;
            }
            b.append(c);
            i++;
        }
        return new Token(Kind.STRING, s.substring(start, i), b.toString(), false, start, i);
    }

    private Token number() {
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        boolean decimal = false;
        if (i + 1 < s.length() && s.charAt(i) == '.' && Character.isDigit(s.charAt(i + 1))) {
            decimal = true;
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < s.length() && Character.isDigit(s.charAt(j))) {
                decimal = true;
                i = j;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        String digits = s.substring(start, i);
        if (i < s.length() && Character.isLetter(s.charAt(i))) {
            int unitStart = i;
            while (i < s.length() && isNamePart(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            Duration d = decimal ? null : duration(Long.parseLong(digits), unit);
            if (d == null) {
                throw src.error(DqlException.PARSE_ERROR, "`" + s.substring(start, i) + "` isn't a valid number or duration.",
                        start, i, s.substring(start, i));
            }
            return new Token(Kind.DURATION, s.substring(start, i), d, false, start, i);
        }
        Object value;
        try {
            value = decimal ? (Object) Double.parseDouble(digits) : (Object) Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw src.error(DqlException.PARSE_ERROR, "The number `" + digits + "` is too large.", start, i, digits);
        }
        return new Token(Kind.NUMBER, digits, value, false, start, i);
    }

    private static Duration duration(long amount, String unit) {
        return switch (unit) {
            case "ns" -> Duration.ofNanos(amount);
            case "us" -> Duration.ofNanos(amount * 1_000L);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> null;
        };
    }
}
