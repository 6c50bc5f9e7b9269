package dev.bastion.core.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 6570 level-1 templates ({@code test://template/{id}/data}): each variable matches one path segment. */
final class UriTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final Pattern pattern;
    private final List<String> names;

    UriTemplate(String template) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder regex = new StringBuilder();
        List<String> found = new ArrayList<>();
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())));
            regex.append("([^/?#]+)");
            found.add(matcher.group(1));
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        this.pattern = Pattern.compile(regex.toString());
        this.names = List.copyOf(found);
    }

    Optional<Map<String, String>> match(String uri) {
        Matcher matcher = pattern.matcher(uri);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            variables.put(names.get(i), matcher.group(i + 1));
        }
        return Optional.of(Map.copyOf(variables));
    }
}
