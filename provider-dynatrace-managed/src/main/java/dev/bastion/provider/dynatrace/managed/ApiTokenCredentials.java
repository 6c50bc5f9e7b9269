package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.spi.Secret;
import java.util.List;
import java.util.Map;

/** Sends {@code Authorization: Api-Token <token>}, the classic Environment API authentication. */
public final class ApiTokenCredentials implements BackendCredentials {

    private final Secret token;

    public ApiTokenCredentials(Secret token) {
        this.token = requireNonNull(token, "token is null");
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) {
        return Map.of("Authorization", "Api-Token " + token.reveal());
    }

    @Override
    public List<String> secretValues() {
        return List.of(token.reveal());
    }

    @Override
    public String toString() {
        return "ApiTokenCredentials[" + Secret.MASK + "]";
    }
}
