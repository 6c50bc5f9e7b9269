package dev.bastion.toolkit.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A call's arguments, read through their declarations before the tool runs: defaults applied, types
 * and bounds checked, required ones present. The pipeline has validated them against the schema
 * already; the reading repeats the checks so a tool called directly (a test, a fan-out) fails with
 * the same clear message, and never after it has started its work.
 */
public final class Arguments {

    private final String toolName;
    private final ObjectNode node;
    private final Map<String, Object> values = new HashMap<>();

    /** @throws InvalidArgument for the first declared argument that is missing or cannot be used */
    Arguments(String toolName, ObjectNode node, Collection<Arg<?>> declared) {
        this.toolName = requireNonNull(toolName, "toolName is null");
        this.node = requireNonNull(node, "node is null");
        for (Arg<?> arg : declared) {
            Object value = arg.read(node.get(arg.name()));
            if (value == null && arg.isRequired()) {
                throw new InvalidArgument(arg.name(), "is required");
            }
            values.put(arg.name(), value);
        }
    }

    /** The tool these arguments were sent to, for cursors bound to it. */
    public String toolName() {
        return toolName;
    }

    /** The value, or the declared default, or {@code null} when neither is there. */
    @SuppressWarnings("unchecked")
    public <T> T get(Arg<T> arg) {
        checkDeclared(arg);
        return (T) values.get(arg.name());
    }

    /** The value or the declared default, empty when neither is there. */
    public <T> Optional<T> optional(Arg<T> arg) {
        return Optional.ofNullable(get(arg));
    }

    /** The value or the default; an {@link InvalidArgument} when neither is there. */
    public <T> T require(Arg<T> arg) {
        T value = get(arg);
        if (value == null) {
            throw new InvalidArgument(arg.name(), "is required");
        }
        return value;
    }

    /** Whether the caller sent the argument (a default does not count). */
    public boolean has(Arg<?> arg) {
        checkDeclared(arg);
        return node.hasNonNull(arg.name());
    }

    /** The arguments as sent, a copy. */
    public ObjectNode raw() {
        return node.deepCopy();
    }

    private void checkDeclared(Arg<?> arg) {
        if (!values.containsKey(arg.name())) {
            throw new IllegalStateException(toolName + " reads argument " + arg.name() + " that it does not declare");
        }
    }
}
