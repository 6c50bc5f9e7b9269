package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of a sandbox's request log, for tests to assert on. Credentials are masked: the value
 * of every credential-carrying header (its scheme kept, as in {@code Api-Token ****}), and every
 * registered secret wherever it occurs.
 *
 * @param method the request method
 * @param rawPath the path, still percent-encoded
 * @param rawQuery the query, still percent-encoded; empty when there was none
 * @param headers the request headers by lower-case name
 * @param status the status the sandbox answered
 */
public record LoggedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            int status) {

    /** What a masked credential reads as in the log. */
    public static final String MASK = "****";

    public LoggedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(rawPath, "rawPath is null");
        requireNonNull(rawQuery, "rawQuery is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    /** {@code /path?query}, as sent. */
    public String pathAndQuery() {
        return rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return method + " " + pathAndQuery() + " -> " + status;
    }
}
