package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:-default}} in YAML values from the environment.
 * {@code $${NAME}} stands for a literal {@code ${NAME}}. An empty variable counts as unset, as
 * {@code :-} does in a shell. Resolved values are never scanned again, so a secret containing
 * {@code ${} stays as it is.
 */
final class Placeholders {

    private final Map<String, String> environment;

    Placeholders(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * @param text the YAML value
     * @param path the YAML path, for the error message
     * @param problems receives a problem naming the variable and the path when a variable is undefined
     * @return the resolved text, or empty when a variable was undefined
     */
    Optional<String> resolve(String text, String path, Problems problems) {
        if (!text.contains("${")) {
            return Optional.of(text);
        }
        String[] lastMissing = new String[1];
        StringLookup lookup = name -> {
            String value = environment.get(name);
            if (value == null || value.isEmpty()) {
                lastMissing[0] = name;
                return null;
            }
            return value;
        };
        StringSubstitutor substitutor = new StringSubstitutor(lookup);
        substitutor.setEnableUndefinedVariableException(true);
        substitutor.setDisableSubstitutionInValues(true);
        try {
            return Optional.of(substitutor.replace(text));
        } catch (IllegalArgumentException undefined) {
            // The substitutor stops at the first variable without value or default: the last
            // variable the lookup could not find.
            String name = lastMissing[0] == null ? "?" : lastMissing[0];
            problems.add(path + ": environment variable " + name + " is not set (placeholder ${" + name + "})");
            return Optional.empty();
        }
    }
}
