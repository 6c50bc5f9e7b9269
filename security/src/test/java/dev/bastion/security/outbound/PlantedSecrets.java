package dev.bastion.security.outbound;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.sanitize.Redactor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

/** Test support: a redactor that hides registered secrets, and token credentials that count refreshes. */
final class PlantedSecrets {

    static final String TOKEN = "dt0c01.PLANTEDSECRETTOKEN1234567890";

    private PlantedSecrets() {
    }

    /** Replaces every registered secret; the real redactor does more, these tests need only this. */
    static final class SecretRedactor implements Redactor {
        private final Set<String> secrets = new CopyOnWriteArraySet<>();

        @Override
        public String redact(String text) {
            String result = text;
            for (String secret : secrets) {
                result = result.replace(secret, "[REDACTED]");
            }
            return result;
        }

        @Override
        public void registerSecret(String value) {
            secrets.add(value);
        }

        Set<String> secrets() {
            return Set.copyOf(secrets);
        }
    }

    /**
     * An {@code Authorization: Api-Token <token><generation>} credential whose token changes on
     * every successful {@link #invalidate()}.
     */
    static final class RefreshableToken implements BackendCredentials {
        private final String token;
        private final boolean refreshable;
        final AtomicInteger generation = new AtomicInteger(1);
        final AtomicInteger invalidations = new AtomicInteger();

        RefreshableToken(String token, boolean refreshable) {
            this.token = token;
            this.refreshable = refreshable;
        }

        @Override
        public Map<String, String> headersFor(OutgoingRequest request) {
            return Map.of("Authorization", "Api-Token " + current());
        }

        String current() {
            return token + "-" + generation.get();
        }

        @Override
        public boolean invalidate() {
            invalidations.incrementAndGet();
            if (!refreshable) {
                return false;
            }
            generation.incrementAndGet();
            return true;
        }

        @Override
        public List<String> secretValues() {
            return List.of(token);
        }
    }
}
