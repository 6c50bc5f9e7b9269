package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.tool.CallContext;
import java.util.Optional;

/**
 * Credentials that one call's requests to a {@link JsonBackend} carry instead of the backend's
 * configured ones, typically the token a caller sent for itself
 * ({@link dev.bastion.core.tool.CallContext#callerCredential()}). The outbound client applies them
 * centrally (see {@code dev.bastion.security.outbound.RequestCredentials}): on every attempt, in
 * the refresh after a {@code 401}, masked in the request log. Register their secret values with the
 * redactor before the first request that carries them.
 *
 * @param credentials what the requests carry
 * @param source where they came from, as 401 and 403 messages name it instead of the configured
 *     setting, such as {@code the X-Dynatrace-Tokens header}
 */
public record CallCredentials(BackendCredentials credentials, String source) {

    public CallCredentials {
        requireNonNull(credentials, "credentials is null");
        requireNonNull(source, "source is null");
    }

    /** Chooses the credentials of a call; see {@link JsonBackend.Builder#callCredentials}. */
    @FunctionalInterface
    public interface Resolver {
        /** Nobody brings their own: every call uses the configured credentials. */
        Resolver CONFIGURED = context -> Optional.empty();

        /**
         * The credentials {@code context}'s requests carry, or empty for the configured ones.
         *
         * @throws dev.bastion.core.tool.ToolFailure when the call must not reach the backend at all (the
         *     caller's credential was refused); its message becomes the call's {@code isError} result
         */
        Optional<CallCredentials> forCall(CallContext context);
    }
}
