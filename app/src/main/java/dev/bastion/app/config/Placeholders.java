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
 * {@code ${} stays as it is. An undefined placeholder is reported with its variable's name only when
 * the text looks like a name: a token pasted as {@code ${rtBearer-…}} is never printed back.
 */
final class Placeholders {

    private static final int MAX_NAME_LENGTH = 64;

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
            String name = lastMissing[0];
            if (name != null && looksLikeAVariableName(name)) {
                problems.add(path + " uses environment variable " + name + ", which is not set (placeholder ${"
                        + name + "})");
            } else {
                // What sits between ${ and } may be a credential pasted where its variable's name belongs.
                problems.add(path + " has a placeholder ${…} whose text is not the name of an environment variable "
                        + "(names are letters, digits and _, as in ${DT_API_TOKEN}); the text is not shown because "
                        + "it may be a credential: put the value into a variable and name that variable");
            }
            return Optional.empty();
        }
    }

    /**
     * Whether {@code name} may be shown in an error: a valid variable name ({@code [A-Za-z_][A-Za-z0-9_]*})
     * that does not look like a credential. Variable names are conventionally one case; a long run
     * mixing lower case, upper case and digits is more likely a token than a name.
     */
    static boolean looksLikeAVariableName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || Character.isDigit(name.charAt(0))) {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '_') {
                return false;
            }
        }
        return !(lower && upper && digit);
    }
}
