package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/** Parses the metric selectors the provider sends and generates real-looking series for them. */
final class SandboxMetrics {

    private static final Pattern TRANSFORMATION = Pattern.compile(
            "^(splitBy|sort|limit|filter|fold|names|parents|default|avg|min|max|sum|count|median|auto|value|percentile)(\\(.*)?$");

    private SandboxMetrics() {
    }

    /** A selector part: the metric key and the transformations the sandbox understands. */
    record Query(String key, List<String> splitBy, String aggregation, int limit) {

        static Query parse(String text) {
            List<String> tokens = split(text, ':');
            int keyEnd = tokens.size();
            for (int i = 1; i < tokens.size(); i++) {
                if (TRANSFORMATION.matcher(tokens.get(i)).matches()) {
                    keyEnd = i;
                    break;
                }
            }
            String key = String.join(":", tokens.subList(0, keyEnd));
            List<String> splitBy = null;
            String aggregation = null;
            int limit = 0;
            for (String token : tokens.subList(keyEnd, tokens.size())) {
                if (token.startsWith("splitBy(")) {
                    List<String> values = SandboxSelector.parse(token).values("splitBy");
                    splitBy = values.stream().filter(v -> !v.isEmpty()).toList();
                } else if (token.startsWith("limit(") && token.endsWith(")")) {
                    try {
                        limit = Integer.parseInt(token.substring(6, token.length() - 1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("limit needs a number");
                    }
                } else if (token.matches("avg|min|max|sum|count|median|auto|value")) {
                    aggregation = token;
                } else if (!token.startsWith("sort(")) {
                    throw new IllegalArgumentException("the sandbox does not support the transformation " + token);
                }
            }
            if (!key.matches("^[A-Za-z][A-Za-z0-9_.\\-]*(:[A-Za-z0-9_.\\-]+)*$")) {
                throw new IllegalArgumentException("invalid metric key " + key);
            }
            return new Query(key, splitBy, aggregation, limit);
        }
    }

    /** Splits at {@code separator} outside quotes and parentheses, honouring {@code ~} escapes. */
    static List<String> split(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '~' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == separator) {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString());
        return out;
    }

    static List<String> splitTopLevel(String selector) {
        return split(selector, ',');
    }

    static List<ObjectNode> series(ObjectMapper json, Query query, String dimension, List<ObjectNode> sources,
            long[] frame, long step, boolean inf) {
        boolean perEntity = query.splitBy() == null || query.splitBy().contains(dimension);
        List<Long> times = new ArrayList<>();
        if (inf) {
            times.add(frame[1]);
        } else {
            for (long t = (frame[0] / step + 1) * step; t <= frame[1]; t += step) {
                times.add(t);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        List<List<ObjectNode>> groups = new ArrayList<>();
        if (perEntity) {
            sources.forEach(s -> groups.add(List.of(s)));
        } else if (!sources.isEmpty()) {
            groups.add(sources);
        }
        List<double[]> averages = new ArrayList<>();
        for (List<ObjectNode> group : groups) {
            ObjectNode data = json.createObjectNode();
            ObjectNode map = data.putObject("dimensionMap");
            ArrayNode dims = data.putArray("dimensions");
            if (perEntity) {
                String id = group.get(0).path("entityId").asText();
                map.put(dimension, id);
                dims.add(id);
            }
            ArrayNode timestamps = data.putArray("timestamps");
            ArrayNode values = data.putArray("values");
            long seed = query.key().hashCode() * 31L + group.get(0).path("entityId").asText().hashCode();
            Random random = new Random(seed);
            double base = 5 + random.nextDouble() * 60;
            double sum = 0;
            int n = 0;
            for (long t : times) {
                timestamps.add(t);
                if (!inf && random.nextInt(40) == 0) {
                    values.addNull();
                    continue;
                }
                double value = Math.max(0, base + 8 * Math.sin(t / 3_600_000.0 + seed % 7) + random.nextGaussian() * 2.5);
                values.add(value);
                sum += value;
                n++;
            }
            averages.add(new double[] {n == 0 ? 0 : sum / n, out.size()});
            out.add(data);
        }
        if (query.limit() > 0 && out.size() > query.limit()) {
            averages.sort(Comparator.comparingDouble((double[] a) -> a[0]).reversed());
            List<ObjectNode> kept = new ArrayList<>();
            for (int i = 0; i < query.limit(); i++) {
                kept.add(out.get((int) averages.get(i)[1]));
            }
            return kept;
        }
        return out;
    }
}
