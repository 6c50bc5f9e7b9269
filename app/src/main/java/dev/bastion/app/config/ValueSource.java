package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

/**
 * Where an effective setting value came from.
 *
 * @param kind the kind of source
 * @param name the environment variable for {@link Kind#ENV}, the YAML path for {@link Kind#YAML},
 *     and empty otherwise
 */
public record ValueSource(Kind kind, String name) {

    public enum Kind {
        /** The setting's declared default. */
        DEFAULT,
        /** An environment variable named by the setting. */
        ENV,
        /** The YAML file. */
        YAML,
        /** Instances a provider imported from its own environment format. */
        IMPORTED,
        /** Instances pointing at a provider's loopback sandbox. */
        SANDBOX
    }

    public static final ValueSource DEFAULT = new ValueSource(Kind.DEFAULT, "");
    public static final ValueSource IMPORTED = new ValueSource(Kind.IMPORTED, "");
    public static final ValueSource SANDBOX = new ValueSource(Kind.SANDBOX, "");

    public ValueSource {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
    }

    public static ValueSource env(String variable) {
        return new ValueSource(Kind.ENV, variable);
    }

    public static ValueSource yaml(String path) {
        return new ValueSource(Kind.YAML, path);
    }

    /** The source as shown to operators: {@code default}, {@code env:NAME}, {@code yaml}, {@code imported} or {@code sandbox}. */
    public String label() {
        return switch (kind) {
            case DEFAULT -> "default";
            case ENV -> "env:" + name;
            case YAML -> "yaml";
            case IMPORTED -> "imported";
            case SANDBOX -> "sandbox";
        };
    }
}
