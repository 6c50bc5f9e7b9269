package com.example.acmestatus;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.spi.Secret;
import java.util.List;
import java.util.Map;

/** {@code X-Api-Key: <key>} on every request; the outbound client applies it and redacts it. */
final class ApiKeyCredentials implements BackendCredentials {

    static final String HEADER = "X-Api-Key";

    private final Secret key;

    ApiKeyCredentials(Secret key) {
        this.key = requireNonNull(key, "key is null");
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) {
        return Map.of(HEADER, key.reveal());
    }

    @Override
    public List<String> secretValues() {
        return List.of(key.reveal());
    }
}
