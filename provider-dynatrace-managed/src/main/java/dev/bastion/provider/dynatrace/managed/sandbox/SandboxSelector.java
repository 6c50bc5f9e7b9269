package dev.bastion.provider.dynatrace.managed.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the selector syntax the real API accepts, {@code name("v1","v2"),other(v)}, with
 * {@code ~} escaping the next character. The sandbox uses it to filter its data, so a selector a
 * tool built wrongly (or an injected condition) shows up as a wrong result in tests.
 */
final class SandboxSelector {

    private final Map<String, List<String>> conditions;

    private SandboxSelector(Map<String, List<String>> conditions) {
        this.conditions = conditions;
    }

    static SandboxSelector none() {
        return new SandboxSelector(Map.of());
    }

    /** @throws IllegalArgumentException with a message like the API's when the text is not a selector */
    static SandboxSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return none();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int open = text.indexOf('(', i);
            if (open < 0) {
                throw new IllegalArgumentException("expected '(' after a condition name at position " + i);
            }
            String name = text.substring(i, open).trim();
            if (!name.matches("[A-Za-z][A-Za-z0-9_.]*")) {
                throw new IllegalArgumentException("invalid condition name '" + name + "'");
            }
            i = open + 1;
            List<String> values = new ArrayList<>();
            while (true) {
                StringBuilder value = new StringBuilder();
                if (i < n && text.charAt(i) == '"') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = text.charAt(i);
                        if (c == '~' && i + 1 < n) {
                            value.append(text.charAt(i + 1));
                            i += 2;
                        } else if (c == '"') {
                            closed = true;
                            i++;
                            break;
                        } else {
                            value.append(c);
                            i++;
                        }
                    }
                    if (!closed) {
                        throw new IllegalArgumentException("unterminated quoted value in " + name);
                    }
                } else {
                    while (i < n && text.charAt(i) != ',' && text.charAt(i) != ')') {
                        char c = text.charAt(i);
                        if (c == '~' && i + 1 < n) {
                            value.append(text.charAt(i + 1));
                            i += 2;
                        } else if (c == '(' || c == '"') {
                            throw new IllegalArgumentException("unexpected '" + c + "' in the value of " + name);
                        } else {
                            value.append(c);
                            i++;
                        }
                    }
                }
                values.add(value.toString());
                if (i >= n) {
                    throw new IllegalArgumentException("missing ')' after " + name);
                }
                char c = text.charAt(i++);
                if (c == ')') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or ')' in " + name);
                }
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values);
            // Repeated conditions (several tag(...)) must all hold: keep them as separate groups.
            out.computeIfAbsent("#" + name + "#" + out.size(), k -> new ArrayList<>(values));
            if (i < n) {
                if (text.charAt(i) != ',') {
                    throw new IllegalArgumentException("expected ',' between conditions at position " + i);
                }
                i++;
            }
        }
        return new SandboxSelector(out);
    }

    boolean has(String name) {
        return conditions.containsKey(name);
    }

    List<String> values(String name) {
        return conditions.getOrDefault(name, List.of());
    }

    /** Each occurrence of {@code name} separately (for conditions that may repeat, such as tag). */
    List<List<String>> groups(String name) {
        List<List<String>> out = new ArrayList<>();
        conditions.forEach((key, values) -> {
            if (key.startsWith("#" + name + "#")) {
                out.add(values);
            }
        });
        return out;
    }

    List<String> names() {
        return conditions.keySet().stream().filter(k -> !k.startsWith("#")).toList();
    }

    /** Whether {@code actual} equals one of the values of {@code name} (case-insensitive); true when absent. */
    boolean matchesAny(String name, String actual) {
        if (!has(name)) {
            return true;
        }
        for (String value : values(name)) {
            if (value.equalsIgnoreCase(actual == null ? "" : actual)) {
                return true;
            }
        }
        return false;
    }

    static boolean containsIgnoreCase(String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }
}
