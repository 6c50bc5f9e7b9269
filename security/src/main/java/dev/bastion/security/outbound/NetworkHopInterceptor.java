package dev.bastion.security.outbound;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Runs for each request OkHttp writes to the network, redirect hops and {@code 401} retries
 * included.
 *
 * <ul>
 *   <li>A redirect to another origin (scheme, host or port) loses the credentials' headers.</li>
 *   <li>Redirect hops never pass the application interceptors, so the HTTPS-only rule is checked
 *       again here, before the hop's request is written.</li>
 *   <li>OkHttp on its own resends any request, {@code POST} included, that got {@code 503} with
 *       {@code Retry-After: 0}. Retrying is {@link BusyRetryInterceptor}'s job alone (idempotent
 *       requests only, counted attempts), so a zero delay is restated as the equivalent HTTP date,
 *       "now", which OkHttp does not act on and {@link BackendErrors#retryAfter} reads as zero.</li>
 * </ul>
 */
final class NetworkHopInterceptor implements Interceptor {

    private final HttpsOnlyInterceptor httpsOnly;

    NetworkHopInterceptor(HttpsOnlyInterceptor httpsOnly) {
        this.httpsOnly = httpsOnly;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        httpsOnly.check(request.url());
        CredentialsInterceptor.CredentialHeaders credentials = request.tag(CredentialsInterceptor.CredentialHeaders.class);
        if (credentials != null && !credentials.sameOrigin(request.url())) {
            // OkHttp drops only Authorization on a cross-origin redirect; API-key style headers
            // must not travel to another host either.
            Request.Builder stripped = request.newBuilder();
            credentials.names().forEach(stripped::removeHeader);
            request = stripped.build();
        }
        Response response = chain.proceed(request);
        if (response.code() == 503 && isZero(response.header("Retry-After"))) {
            return response.newBuilder().headers(response.headers().newBuilder()
                    .set("Retry-After", Date.from(Instant.now())).build()).build();
        }
        return response;
    }

    private static boolean isZero(String value) {
        return value != null && !value.isEmpty() && value.chars().allMatch(c -> c == '0');
    }
}
