package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operations Manager's search query on a list of documents. Jobs take the operators
 * {@code equals}, {@code contains}, {@code starts-with}, {@code in}, {@code not-in}, {@code gt},
 * {@code gte}, {@code lt}, {@code lte} as {@code operator[dotted.field]=value}; triggers and
 * automations take field pairs instead ({@code equals=<value>&equalsField=<field>}, likewise
 * {@code contains} and {@code startsWith}, and {@code enabled}) and refuse brackets, as the
 * platform does ({@link Style}). Then {@code sort} and
 * {@code order} (1 or -1), {@code skip} and {@code limit} (at most 100), {@code include} and
 * {@code exclude}; answered in the envelope with the paging metadata of a recorded response.
 * Time comparisons take epoch milliseconds or ISO-8601 on either side.
 */
final class OperationsManagerSearch {

    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 25;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern OPERATOR = Pattern.compile("^([a-z-]+)\\[([A-Za-z0-9_.$-]+)]$");
    private static final Set<String> OPERATORS = Set.of("equals", "contains", "starts-with", "in", "not-in", "gt",
            "gte", "lt", "lte");

    /** How a collection's filters are written. */
    enum Style {
        /** {@code equals[status]=error}: jobs. */
        BRACKETS,
        /** {@code equals=endpoint&equalsField=type}: triggers and automations. */
        FIELD_PAIRS
    }

    private static final List<String> PAIR_OPERATORS = List.of("equals", "contains", "startsWith");

    private OperationsManagerSearch() {
    }

    /** The envelope of the page of {@code items} that {@code request} asks for, with bracket filters. */
    static ObjectNode search(SandboxRequest request, List<ObjectNode> items) {
        return search(request, items, Style.BRACKETS);
    }

    /** The envelope of the page of {@code items} that {@code request} asks for. */
    static ObjectNode search(SandboxRequest request, List<ObjectNode> items, Style style) {
        int limit = integer(request, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SandboxError.of(400, "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        int skip = integer(request, "skip", 0);
        if (skip < 0) {
            throw SandboxError.of(400, "skip must not be negative");
        }
        String order = request.queryParameter("order").orElse("1");
        if (!order.equals("1") && !order.equals("-1")) {
            throw SandboxError.of(400, "order must be 1 or -1, not " + order);
        }
        Predicate<ObjectNode> filter = style == Style.BRACKETS ? filter(request.query()) : fieldPairs(request.query());
        String sort = request.queryParameter("sort").orElse("_id");
        Comparator<ObjectNode> bySort = Comparator.comparing(item -> at(item, sort), OperationsManagerSearch::compare);
        List<ObjectNode> matches = items.stream().filter(filter)
                .sorted(order.equals("1") ? bySort : bySort.reversed()).toList();
        List<ObjectNode> page = matches.subList(Math.min(skip, matches.size()), Math.min(skip + limit, matches.size()));
        List<String> include = list(request, "include");
        List<String> exclude = list(request, "exclude");
        ObjectNode out = NODES.objectNode();
        out.put("message", "Successfully retrieved items");
        var data = out.putArray("data");
        for (ObjectNode item : page) {
            ObjectNode shown = item.deepCopy();
            if (!include.isEmpty()) {
                shown.retain(concat(include, "_id"));
            }
            shown.remove(exclude);
            data.add(shown);
        }
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("skip", skip);
        metadata.put("limit", limit);
        if (skip + limit < matches.size()) {
            metadata.put("nextPageSkip", skip + limit);
        } else {
            metadata.putNull("nextPageSkip");
        }
        if (skip == 0) {
            metadata.putNull("previousPageSkip");
        } else {
            metadata.put("previousPageSkip", Math.max(0, skip - limit));
        }
        metadata.put("total", matches.size());
        metadata.put("currentPageSize", page.size());
        metadata.putArray("hints");
        return out;
    }

    private static Predicate<ObjectNode> filter(Map<String, List<String>> query) {
        Predicate<ObjectNode> all = item -> true;
        for (var parameter : query.entrySet()) {
            Matcher m = OPERATOR.matcher(parameter.getKey());
            if (!m.matches()) {
                continue;
            }
            String operator = m.group(1);
            if (!OPERATORS.contains(operator)) {
                throw SandboxError.of(400, "Unknown query operator " + operator);
            }
            String field = m.group(2);
            for (String value : parameter.getValue()) {
                Predicate<JsonNode> test = test(operator, value);
                all = all.and(item -> matchesAny(at(item, field), test));
            }
        }
        return all;
    }

    /**
     * The field-pair filter of triggers, automations, the health pages and job metrics:
     * {@code equals=<value>&equalsField=<field>} (likewise {@code contains}, {@code startsWith}) and
     * {@code enabled}; a bracket operator is refused with a 400.
     */
    static Predicate<ObjectNode> fieldPairs(Map<String, List<String>> query) {
        for (String parameter : query.keySet()) {
            if (OPERATOR.matcher(parameter).matches()) {
                throw SandboxError.of(400, "Invalid query parameter " + parameter + ": filter with"
                        + " equals=<value>&equalsField=<field> (or contains, startsWith)");
            }
        }
        Predicate<ObjectNode> all = item -> true;
        for (String operator : PAIR_OPERATORS) {
            List<String> values = query.getOrDefault(operator, List.of());
            List<String> fields = query.getOrDefault(operator + "Field", List.of());
            if (values.size() != fields.size() || values.size() > 1) {
                throw SandboxError.of(400, operator + " and " + operator + "Field go together, once each");
            }
            if (!values.isEmpty()) {
                Predicate<JsonNode> test = test(operator.equals("startsWith") ? "starts-with" : operator, values.get(0));
                String field = fields.get(0);
                all = all.and(item -> matchesAny(at(item, field), test));
            }
        }
        for (String enabled : query.getOrDefault("enabled", List.of())) {
            boolean wanted = Boolean.parseBoolean(enabled);
            all = all.and(item -> item.path("enabled").asBoolean() == wanted);
        }
        return all;
    }

    private static Predicate<JsonNode> test(String operator, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        List<String> values = Arrays.asList(value.split(","));
        return switch (operator) {
            case "equals" -> node -> node.isValueNode() && node.asText().equals(value);
            case "contains" -> node -> node.isValueNode() && node.asText().toLowerCase(Locale.ROOT).contains(lower);
            case "starts-with" -> node -> node.isValueNode() && node.asText().toLowerCase(Locale.ROOT).startsWith(lower);
            case "in" -> node -> node.isValueNode() && values.contains(node.asText());
            case "not-in" -> node -> !node.isValueNode() || !values.contains(node.asText());
            default -> {
                double bound = time(value);
                if (Double.isNaN(bound)) {
                    throw SandboxError.of(400, operator + " needs a number or a date, not " + value);
                }
                yield node -> {
                    double actual = node.isNumber() ? node.asDouble() : node.isTextual() ? time(node.asText()) : Double.NaN;
                    return !Double.isNaN(actual) && switch (operator) {
                        case "gt" -> actual > bound;
                        case "gte" -> actual >= bound;
                        case "lt" -> actual < bound;
                        default -> actual <= bound;
                    };
                };
            }
        };
    }

    private static boolean matchesAny(JsonNode node, Predicate<JsonNode> test) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (test.test(element)) {
                    return true;
                }
            }
            return false;
        }
        return test.test(node);
    }

    /** Epoch milliseconds of a number or an ISO-8601 instant; NaN for anything else. */
    private static double time(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notADate) {
                return Double.NaN;
            }
        }
    }

    private static JsonNode at(ObjectNode item, String dottedField) {
        return item.at("/" + dottedField.replace(".", "/"));
    }

    /** Numbers by value, other values by text, missing values last. */
    private static int compare(JsonNode a, JsonNode b) {
        if (a.isMissingNode() || a.isNull() || b.isMissingNode() || b.isNull()) {
            return Boolean.compare(a.isMissingNode() || a.isNull(), b.isMissingNode() || b.isNull());
        }
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.asDouble(), b.asDouble());
        }
        return a.asText().compareTo(b.asText());
    }

    private static int integer(SandboxRequest request, String parameter, int fallback) {
        String text = request.queryParameter(parameter).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw SandboxError.of(400, parameter + " must be an integer, not " + text);
        }
    }

    private static List<String> list(SandboxRequest request, String parameter) {
        return request.queryParameter(parameter).map(text -> Arrays.stream(text.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    private static List<String> concat(List<String> names, String more) {
        List<String> out = new ArrayList<>(names);
        out.add(more);
        return out;
    }
}
