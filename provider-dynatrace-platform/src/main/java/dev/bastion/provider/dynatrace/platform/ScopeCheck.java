package dev.bastion.provider.dynatrace.platform;

import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tools of an environment will fail, and why: the scopes each tool declares against the
 * scopes the OAuth client was granted. A platform token's scopes cannot be looked up, so for one
 * there is nothing to compare before a call; its 403 names the scope.
 */
final class ScopeCheck {

    /** A Dynatrace scope as the tools' permissions name them, such as {@code storage:logs:read}. */
    private static final Pattern SCOPE = Pattern.compile("\\b[a-z][a-z-]*:[a-z][a-z0-9.-]*:[a-z]+\\b");

    private ScopeCheck() {
    }

    /** The scopes a tool declares, in its permission's order. */
    static List<String> scopesOf(ToolSpec tool) {
        List<String> out = new ArrayList<>();
        Matcher matcher = SCOPE.matcher(tool.permission().orElse(""));
        while (matcher.find()) {
            out.add(matcher.group());
        }
        return out;
    }

    /**
     * One line per scope that is not granted, naming the tools that need it: read tools first (they
     * fail whatever the policy), then write tools. Empty when every tool has its scopes.
     */
    static List<String> missing(List<ToolSpec> tools, Set<String> granted) {
        Map<String, List<String>> read = new LinkedHashMap<>();
        Map<String, List<String>> write = new LinkedHashMap<>();
        for (ToolSpec tool : tools) {
            for (String scope : scopesOf(tool)) {
                if (!granted.contains(scope)) {
                    (tool.descriptor().readOnly() ? read : write).computeIfAbsent(scope, s -> new ArrayList<>())
                            .add(tool.descriptor().name());
                }
            }
        }
        List<String> out = new ArrayList<>();
        read.forEach((scope, names) -> out.add(line(scope, names)));
        write.forEach((scope, names) -> out.add(line(scope, names)));
        return out;
    }

    private static String line(String scope, List<String> names) {
        return "not granted " + scope + ", which " + String.join(", ", names) + (names.size() == 1 ? " needs" : " need");
    }
}
