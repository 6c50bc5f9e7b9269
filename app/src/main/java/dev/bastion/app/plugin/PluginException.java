package dev.bastion.app.plugin;

import java.util.List;

/**
 * Providers cannot be discovered: a plugin directory or jar is unusable, or two providers share an
 * id. The message lists every problem on its own line, without stack traces.
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PluginException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a plugin exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
