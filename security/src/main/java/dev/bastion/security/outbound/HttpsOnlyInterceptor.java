package dev.bastion.security.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Refuses every request that is not HTTPS, except plain http to a loopback host when the spec
 * allows it. Installed both as an application interceptor (before any connection, DNS lookup or
 * rate-limit wait) and as a network interceptor, which re-checks each redirect hop before its
 * request is written. A redirect to plain http that OkHttp did not follow fails here too.
 */
final class HttpsOnlyInterceptor implements Interceptor {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean allowInsecureLoopback;
    private final HttpUrl linkLocalOrigin;

    HttpsOnlyInterceptor(boolean allowInsecureLoopback) {
        this(allowInsecureLoopback, null);
    }

    /**
     * @param linkLocalOrigin the one plain-http link-local origin allowed (scheme, host and port
     *     must all match), or {@code null}
     */
    HttpsOnlyInterceptor(boolean allowInsecureLoopback, java.net.URI linkLocalOrigin) {
        this.allowInsecureLoopback = allowInsecureLoopback;
        this.linkLocalOrigin = linkLocalOrigin == null ? null : HttpUrl.get(linkLocalOrigin);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        check(chain.request().url());
        Response response = chain.proceed(chain.request());
        // OkHttp does not follow a redirect from https to http (followSslRedirects is off) but
        // hands the 3xx back; name the refusal instead of leaving the provider a bare redirect.
        String location = response.isRedirect() ? response.header("Location") : null;
        HttpUrl target = location == null ? null : response.request().url().resolve(location);
        if (target != null) {
            try {
                check(target);
            } catch (InsecureSchemeException refused) {
                response.close();
                throw refused;
            }
        }
        return response;
    }

    void check(HttpUrl url) throws InsecureSchemeException {
        if (url.isHttps()) {
            return;
        }
        if (linkLocalOrigin != null && url.host().equals(linkLocalOrigin.host())
                && url.port() == linkLocalOrigin.port()) {
            return;
        }
        boolean loopback = isLoopback(url.host());
        if (loopback && allowInsecureLoopback) {
            return;
        }
        throw new InsecureSchemeException(url.host(), loopback);
    }

    /**
     * Whether {@code host} is a link-local address literal ({@code 169.254.0.0/16},
     * {@code fe80::/10}); names are never resolved.
     */
    static boolean isLinkLocal(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4_LITERAL.matcher(name).matches() && !name.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLinkLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether {@code host} names this machine: {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}.
     * Only literals count; a name is never resolved here, so DNS cannot turn a remote host into a
     * "loopback" one.
     */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("localhost")) {
            return true;
        }
        if (!IPV4_LITERAL.matcher(name).matches() && !name.contains(":")) {
            return false;
        }
        try {
            // A literal address is parsed, never looked up.
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
