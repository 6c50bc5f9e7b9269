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
 * request is written.
 */
final class HttpsOnlyInterceptor implements Interceptor {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean allowInsecureLoopback;

    HttpsOnlyInterceptor(boolean allowInsecureLoopback) {
        this.allowInsecureLoopback = allowInsecureLoopback;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        check(chain.request().url());
        return chain.proceed(chain.request());
    }

    void check(HttpUrl url) throws InsecureSchemeException {
        if (url.isHttps()) {
            return;
        }
        boolean loopback = isLoopback(url.host());
        if (loopback && allowInsecureLoopback) {
            return;
        }
        throw new InsecureSchemeException(url.host(), loopback);
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
