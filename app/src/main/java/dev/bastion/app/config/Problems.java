package dev.bastion.app.config;

import dev.bastion.security.redact.SecretRedactor;
import java.util.ArrayList;
import java.util.List;

/** Collects every configuration problem, so all of them are reported together. */
final class Problems {

    private final List<String> problems = new ArrayList<>();

    void add(String problem) {
        problems.add(problem);
    }

    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Throws when any problem was found. Secret values are masked as a second line of defence:
     * messages are written not to contain values of secret settings, but a secret pasted into the
     * wrong (non-secret) setting, or into a key, would otherwise be echoed. The masking is the
     * redactor's, so every form of a secret is hidden (any letter case, and the parts of it that the
     * providers' credential shapes say are secret on their own), not only the exact value.
     *
     * @param redactor a redactor that knows the providers' credential shapes; the secrets are registered with it
     */
    void throwIfAny(List<String> secretValues, SecretRedactor redactor) {
        if (problems.isEmpty()) {
            return;
        }
        secretValues.forEach(redactor::registerSecret);
        List<String> masked = new ArrayList<>();
        for (String problem : problems) {
            masked.add(redactor.redact(problem));
        }
        throw new ConfigException(masked);
    }
}
