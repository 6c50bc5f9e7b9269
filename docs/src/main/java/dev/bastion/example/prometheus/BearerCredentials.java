package dev.bastion.example.prometheus;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.spi.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code Authorization: Bearer <token>} when a token is configured; applied by the outbound client. */
final class BearerCredentials implements BackendCredentials {

    private final Optional<Secret> token;

    BearerCredentials(Optional<Secret> token) {
        this.token = token;
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) {
        return token.map(t -> Map.of("Authorization", "Bearer " + t.reveal())).orElse(Map.of());
    }

    @Override
    public List<String> secretValues() {
        return token.map(t -> List.of(t.reveal())).orElse(List.of());
    }
}
