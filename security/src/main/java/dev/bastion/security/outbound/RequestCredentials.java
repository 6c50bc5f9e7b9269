package dev.bastion.security.outbound;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import okhttp3.Request;

/**
 * A request tag that makes one request carry other credentials than its backend's configured
 * {@link BackendSpec#credentials()}: the token a caller sent for itself (see
 * {@code ProviderFactory.callerCredentialHeader()}). The outbound client applies them exactly as it
 * applies the configured ones, on every attempt (retries included) and in the one refresh after a
 * {@code 401}, and the request log masks the headers they set. The configured credentials are not
 * sent with such a request.
 *
 * <p>The client does not know these credentials before the request, so whoever creates them
 * registers their {@link BackendCredentials#secretValues()} with the redactor first.
 *
 * <pre>{@code
 * Request request = RequestCredentials.use(new Request.Builder().url(url), callerCredentials).build();
 * }</pre>
 */
public final class RequestCredentials {

    private final BackendCredentials credentials;

    private RequestCredentials(BackendCredentials credentials) {
        this.credentials = credentials;
    }

    /** Tags {@code builder}'s request to be sent with {@code credentials} and returns the builder. */
    public static Request.Builder use(Request.Builder builder, BackendCredentials credentials) {
        requireNonNull(builder, "builder is null");
        requireNonNull(credentials, "credentials is null");
        return builder.tag(RequestCredentials.class, new RequestCredentials(credentials));
    }

    /** The credentials {@code request} is sent with: its own when tagged, else {@code configured}. */
    static BackendCredentials of(Request request, BackendCredentials configured) {
        RequestCredentials own = request.tag(RequestCredentials.class);
        return own == null ? configured : own.credentials;
    }

    @Override
    public String toString() {
        return "RequestCredentials[" + credentials + "]";
    }
}
