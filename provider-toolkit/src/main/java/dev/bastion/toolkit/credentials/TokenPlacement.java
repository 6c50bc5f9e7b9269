package dev.bastion.toolkit.credentials;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Where a session token goes on each request: a header ({@code Authorization: Bearer <t>},
 * {@code X-Auth-Token: <t>}, {@code Cookie: token=<t>}) or a query parameter ({@code ?token=<t>},
 * as the Itential Platform accepts). A placement may do both; most do one.
 */
public interface TokenPlacement {

    /** The headers carrying {@code token}; empty when the token goes elsewhere. */
    Map<String, String> headers(String token);

    /** {@code url} with {@code token} added; {@code url} itself when the token goes in a header. */
    default HttpUrl url(HttpUrl url, String token) {
        return url;
    }

    /** Whether {@link #url(HttpUrl, String)} changes URLs, so the client needs the query interceptor. */
    default boolean changesUrl() {
        return false;
    }

    /** {@code Authorization: Bearer <token>}. */
    static TokenPlacement bearer() {
        return header("Authorization", "Bearer ");
    }

    /**
     * {@code <name>: <prefix><token>}; the prefix is sent as given, so {@code "Bearer "} keeps its
     * space and {@code "token="} makes a cookie.
     */
    static TokenPlacement header(String name, String prefix) {
        requireNonNull(name, "name is null");
        requireNonNull(prefix, "prefix is null");
        TokenText.requireHeaderName(name);
        return new TokenPlacement() {
            @Override
            public Map<String, String> headers(String token) {
                return Map.of(name, prefix + token);
            }

            @Override
            public String toString() {
                return "header " + name;
            }
        };
    }

    /** {@code ?<parameter>=<token>}, replacing any value the request already had. */
    static TokenPlacement query(String parameter) {
        requireNonNull(parameter, "parameter is null");
        if (parameter.isBlank()) {
            throw new IllegalArgumentException("the query parameter name is blank");
        }
        return new TokenPlacement() {
            @Override
            public Map<String, String> headers(String token) {
                return Map.of();
            }

            @Override
            public HttpUrl url(HttpUrl url, String token) {
                return url.newBuilder().setQueryParameter(parameter, token).build();
            }

            @Override
            public boolean changesUrl() {
                return true;
            }

            @Override
            public String toString() {
                return "query parameter " + parameter;
            }
        };
    }
}
