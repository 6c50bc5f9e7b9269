package dev.bastion.app.config;

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
     * wrong (non-secret) setting would otherwise be echoed.
     */
    void throwIfAny(List<String> secretValues) {
        if (problems.isEmpty()) {
            return;
        }
        List<String> masked = new ArrayList<>();
        for (String problem : problems) {
            String text = problem;
            for (String secret : secretValues) {
                // One to three characters would garble the messages and are no credential anyway.
                if (secret.length() >= 4) {
                    text = text.replace(secret, dev.bastion.core.spi.Secret.MASK);
                }
            }
            masked.add(text);
        }
        throw new ConfigException(masked);
    }
}
