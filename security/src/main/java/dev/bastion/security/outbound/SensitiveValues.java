package dev.bastion.security.outbound;

import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Which query parameters and headers carry secrets, and how a URL looks with them masked. The
 * masked form is what logs and error messages show; the redactor then also hides every registered
 * secret wherever it appears.
 */
final class SensitiveValues {

    static final String MASK = "[REDACTED]";

    private static final Set<String> QUERY_NAMES = Set.of("api-token", "api_token", "apitoken", "token",
            "access_token", "refresh_token", "id_token", "key", "api-key", "api_key", "apikey", "secret",
            "client_secret", "password", "passwd", "pwd", "auth", "authorization", "signature", "sig", "code",
            "session", "sessionid", "session_id", "credential", "credentials");

    private static final Set<String> HEADER_NAMES = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token");

    private SensitiveValues() {
    }

    static boolean isSensitiveQueryName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return QUERY_NAMES.contains(lower) || lower.contains("token") || lower.contains("secret")
                || lower.contains("password") || lower.contains("apikey") || lower.contains("api_key")
                || lower.contains("api-key");
    }

    static boolean isSensitiveHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return HEADER_NAMES.contains(lower) || lower.contains("token") || lower.contains("secret");
    }

    /** {@code url} without user-info and with the values of sensitive query parameters masked. */
    static String maskedUrl(HttpUrl url) {
        HttpUrl.Builder builder = url.newBuilder().username("").password("");
        if (url.querySize() > 0) {
            builder.query(null);
            for (int i = 0; i < url.querySize(); i++) {
                String name = url.queryParameterName(i);
                String value = url.queryParameterValue(i);
                builder.addQueryParameter(name, value != null && isSensitiveQueryName(name) ? MASK : value);
            }
        }
        // HttpUrl percent-encodes the brackets; show the mask as written everywhere else.
        return builder.build().toString().replace("%5BREDACTED%5D", MASK);
    }
}
