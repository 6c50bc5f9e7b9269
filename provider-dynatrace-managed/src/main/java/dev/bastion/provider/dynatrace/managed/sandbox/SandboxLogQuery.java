package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of the classic log query syntax the sandbox filters by: terms joined with AND, each
 * {@code key="value"} (status, content, or an attribute such as host.name; content matches by
 * substring) or a bare word that the content must contain.
 */
final class SandboxLogQuery {

    private static final Pattern TERM = Pattern.compile(
            "\\s*(?:([A-Za-z][A-Za-z0-9_.]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s\"=]+))\\s*");

    private SandboxLogQuery() {
    }

    static Predicate<JsonNode> parse(String query) {
        if (query == null || query.isBlank()) {
            return record -> true;
        }
        List<Predicate<JsonNode>> terms = new ArrayList<>();
        Matcher matcher = TERM.matcher(query);
        int position = 0;
        while (position < query.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw ApiCall.badQuery("query",
                        "Syntax error in log query at position " + position);
            }
            position = matcher.end();
            if (matcher.group(3) != null && matcher.group(3).equalsIgnoreCase("AND")) {
                continue;
            }
            if (matcher.group(1) != null) {
                String key = matcher.group(1);
                String value = matcher.group(2).replaceAll("\\\\(.)", "$1");
                terms.add(record -> matches(record, key, value));
            } else {
                String word = matcher.group(3);
                terms.add(record -> contains(record.path("content").asText(), word));
            }
        }
        return record -> terms.stream().allMatch(t -> t.test(record));
    }

    private static boolean matches(JsonNode record, String key, String value) {
        return switch (key) {
            case "status", "loglevel" -> record.path("status").asText().equalsIgnoreCase(value);
            case "content" -> contains(record.path("content").asText(), value);
            default -> {
                for (JsonNode item : record.path("additionalColumns").path(key)) {
                    if (item.asText().equals(value)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }
}
