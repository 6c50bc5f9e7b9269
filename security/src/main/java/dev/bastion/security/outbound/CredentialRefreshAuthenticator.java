package dev.bastion.security.outbound;

import dev.bastion.core.auth.BackendCredentials;
import java.io.IOException;
import okhttp3.Authenticator;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a backend's {@code 401} once: when the credentials can be refreshed
 * ({@link BackendCredentials#invalidate()} returns {@code true}, such as a dropped cached OAuth
 * token), the request is sent again with fresh headers. A second {@code 401}, or credentials that
 * cannot be refreshed, ends it: the {@code 401} goes back to the provider, never a loop.
 */
final class CredentialRefreshAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialRefreshAuthenticator.class);

    private final String backendName;
    private final BackendCredentials credentials;

    CredentialRefreshAuthenticator(String backendName, BackendCredentials credentials) {
        this.backendName = backendName;
        this.credentials = credentials;
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
        Request failed = response.request();
        if (failed.tag(RefreshedOnce.class) != null || response.priorResponse() != null
                && response.priorResponse().code() == 401) {
            LOG.debug("{} answered 401 again after the credentials were refreshed; giving up", backendName);
            return null;
        }
        CredentialsInterceptor.CredentialHeaders applied = failed.tag(CredentialsInterceptor.CredentialHeaders.class);
        if (applied != null && !applied.sameOrigin(failed.url())) {
            // A 401 from a host we were redirected to: our credentials are not for it.
            return null;
        }
        // The request's own credentials (a caller's token) are what the backend refused, not the configured ones.
        BackendCredentials sent = RequestCredentials.of(failed, credentials);
        if (!sent.invalidate()) {
            return null;
        }
        LOG.debug("{} answered 401; retrying once with refreshed credentials", backendName);
        Request refreshed = CredentialsInterceptor.apply(sent, failed);
        return refreshed.newBuilder().tag(RefreshedOnce.class, RefreshedOnce.INSTANCE).build();
    }

    /** Marks the one retry with refreshed credentials. */
    enum RefreshedOnce {
        INSTANCE
    }
}
