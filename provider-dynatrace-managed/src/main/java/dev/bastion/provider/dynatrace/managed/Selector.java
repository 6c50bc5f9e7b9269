package dev.bastion.provider.dynatrace.managed;

import dev.bastion.security.validate.TextRules;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds Dynatrace selectors ({@code entitySelector}, {@code problemSelector}, {@code eventSelector},
 * {@code securityProblemSelector}, {@code sloSelector}, the audit log {@code filter}) from typed
 * conditions. Every value is quoted, and the characters that are special inside a quoted value,
 * the quote and the escape character {@code ~}, are escaped with {@code ~}; so no value can
 * close its condition and add another. Condition names come from code, never from arguments.
 *
 * <p>Example: {@code Selector.builder().condition("type", "HOST").condition("entityName.equals", name)}
 * gives {@code type("HOST"),entityName.equals("<name escaped>")}.
 */
public final class Selector {

    private static final Pattern CONDITION_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_.]*$");

    private Selector() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The value as a quoted selector literal: {@code a"b~c} becomes {@code "a~"b~~c"}.
     *
     * @throws IllegalArgumentException when the value holds a control character (a newline, say),
     *     which no Dynatrace name or tag contains
     */
    public static String quote(String value) {
        checkValue(value);
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '~' || c == '"') {
                out.append('~');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /**
     * Refuses what no Dynatrace name or tag contains and what could make a value read differently
     * than it is written: the security module's {@link TextRules} (control characters, line and
     * paragraph separators, invisible formatting characters such as bidirectional overrides).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkValue(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (TextRules.firstBreaking(value) >= 0) {
            throw new IllegalArgumentException("must not contain control characters such as line breaks,"
                    + " line separators or bidirectional formatting characters");
        }
    }

    /** Collects conditions; all of them must hold (Dynatrace joins conditions with AND). */
    public static final class Builder {
        private final List<String> conditions = new ArrayList<>();

        private Builder() {
        }

        /** Adds {@code name("v1","v2")}: one of the values must match. Null or empty value lists are skipped. */
        public Builder condition(String name, List<String> values) {
            if (!CONDITION_NAME.matcher(name).matches()) {
                throw new IllegalStateException("not a selector condition name: " + name);
            }
            if (values == null || values.isEmpty()) {
                return this;
            }
            List<String> quoted = new ArrayList<>(values.size());
            for (String value : values) {
                quoted.add(quote(value));
            }
            conditions.add(name + "(" + String.join(",", quoted) + ")");
            return this;
        }

        /** Adds {@code name("value")}; a null value is skipped. */
        public Builder condition(String name, String value) {
            return value == null ? this : condition(name, List.of(value));
        }

        /** Adds a nested entity selector, as in {@code fromRelationships.runsOn(type("HOST"))}. */
        public Builder nested(String name, Builder inner) {
            if (!CONDITION_NAME.matcher(name).matches()) {
                throw new IllegalStateException("not a selector condition name: " + name);
            }
            if (!inner.isEmpty()) {
                conditions.add(name + "(" + inner.build() + ")");
            }
            return this;
        }

        public boolean isEmpty() {
            return conditions.isEmpty();
        }

        /** The selector, or {@code null} when no condition was added (so the parameter is left out). */
        public String build() {
            return conditions.isEmpty() ? null : String.join(",", conditions);
        }
    }
}
