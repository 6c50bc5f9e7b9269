package dev.bastion.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an authenticator sees of an inbound request: its headers (names case-insensitive) and the
 * peer address.
 */
public record AuthRequest(Map<String, List<String>> headers, String remoteAddress) {

    public AuthRequest {
        requireNonNull(headers, "headers is null");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(copy);
        requireNonNull(remoteAddress, "remoteAddress is null");
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
