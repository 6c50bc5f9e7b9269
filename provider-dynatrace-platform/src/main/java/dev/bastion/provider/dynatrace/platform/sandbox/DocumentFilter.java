package dev.bastion.provider.dynatrace.platform.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The document list's {@code filter} expression: {@code type == 'notebook' and name contains 'k8s'},
 * with {@code ==}, {@code !=}, {@code contains}, {@code starts-with}, {@code ends-with}, {@code and},
 * {@code or}, {@code not}, parentheses, single- or double-quoted values ({@code \'} escapes) over the
 * fields id, name, type, owner, description, isPrivate, originAppId. Text comparisons of
 * {@code contains}/{@code starts-with}/{@code ends-with} ignore case.
 */
final class DocumentFilter {

    private static final List<String> FIELDS = List.of("id", "name", "type", "owner", "description", "isPrivate",
            "originAppId", "version");

    private final List<String> tokens;
    private int at;

    private DocumentFilter(List<String> tokens) {
        this.tokens = tokens;
    }

    /** The predicate of {@code expression}; an {@link IllegalArgumentException} says why it is not one. */
    static Predicate<JsonNode> parse(String expression) {
        DocumentFilter parser = new DocumentFilter(lex(expression));
        Predicate<JsonNode> out = parser.or();
        if (parser.at < parser.tokens.size()) {
            throw new IllegalArgumentException("Unexpected '" + parser.tokens.get(parser.at) + "' in filter");
        }
        return out;
    }

    private Predicate<JsonNode> or() {
        Predicate<JsonNode> left = and();
        while (peekWord("or")) {
            at++;
            left = left.or(and());
        }
        return left;
    }

    private Predicate<JsonNode> and() {
        Predicate<JsonNode> left = unary();
        while (peekWord("and")) {
            at++;
            left = left.and(unary());
        }
        return left;
    }

    private Predicate<JsonNode> unary() {
        if (peekWord("not")) {
            at++;
            return unary().negate();
        }
        if (peek("(")) {
            at++;
            Predicate<JsonNode> inner = or();
            expect(")");
            return inner;
        }
        String field = next("a field name");
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("Unknown filter field '" + field + "'; use one of " + FIELDS);
        }
        String operator = next("an operator").toLowerCase(Locale.ROOT);
        String value = literal(next("a value"));
        return switch (operator) {
            case "==", "=" -> doc -> text(doc, field).equals(value);
            case "!=" -> doc -> !text(doc, field).equals(value);
            case "contains" -> doc -> text(doc, field).toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
            case "starts-with" -> doc -> text(doc, field).toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT));
            case "ends-with" -> doc -> text(doc, field).toLowerCase(Locale.ROOT).endsWith(value.toLowerCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("Unknown filter operator '" + operator + "'");
        };
    }

    private static String text(JsonNode doc, String field) {
        JsonNode value = doc.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    private static String literal(String token) {
        if (token.length() >= 2 && (token.charAt(0) == '\'' || token.charAt(0) == '"')) {
            return token.substring(1, token.length() - 1).replace("\\'", "'").replace("\\\"", "\"");
        }
        if (token.equals("true") || token.equals("false") || token.matches("-?[0-9]+")) {
            return token;
        }
        throw new IllegalArgumentException("Expected a quoted value, got '" + token + "'");
    }

    private boolean peek(String token) {
        return at < tokens.size() && tokens.get(at).equals(token);
    }

    private boolean peekWord(String word) {
        return at < tokens.size() && tokens.get(at).equalsIgnoreCase(word);
    }

    private String next(String what) {
        if (at >= tokens.size()) {
            throw new IllegalArgumentException("The filter ends where " + what + " is expected");
        }
        return tokens.get(at++);
    }

    private void expect(String token) {
        if (!peek(token)) {
            throw new IllegalArgumentException("Expected '" + token + "' in filter");
        }
        at++;
    }

    private static List<String> lex(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c) {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= text.length()) {
                    throw new IllegalArgumentException("Unterminated string in filter");
                }
                out.add(text.substring(i, j + 1));
                i = j + 1;
            } else if (c == '=' || c == '!') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '=') {
                    out.add(text.substring(i, i + 2));
                    i += 2;
                } else if (c == '=') {
                    out.add("=");
                    i++;
                } else {
                    throw new IllegalArgumentException("Unexpected '!' in filter");
                }
            } else {
                int j = i;
                while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && "()'\"=!".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                out.add(text.substring(i, j));
                i = j;
            }
        }
        return out;
    }
}
