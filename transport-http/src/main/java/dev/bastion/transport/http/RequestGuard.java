package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * DNS-rebinding protection: the {@code Host} header must name this server and an {@code Origin},
 * when sent, must be allowed. Loopback names are always allowed (any port), as are the public URL's
 * host and origin and the configured extra hosts and origins. A browser page on another origin, or
 * a rebound DNS name pointing at loopback, is refused before anything else happens.
 */
final class RequestGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Set<String> hosts;
    private final Set<String> origins;

    RequestGuard(URI publicUrl, List<String> allowedHosts, List<String> allowedOrigins) {
        Set<String> hostSet = new HashSet<>(LOOPBACK);
        Set<String> originSet = new HashSet<>();
        if (publicUrl != null) {
            hostSet.add(publicUrl.getHost().toLowerCase(Locale.ROOT));
            originSet.add(origin(publicUrl));
        }
        requireNonNull(allowedHosts, "allowedHosts is null")
                .forEach(host -> hostSet.add(host.toLowerCase(Locale.ROOT)));
        requireNonNull(allowedOrigins, "allowedOrigins is null").forEach(origin -> originSet.add(normalize(origin)));
        this.hosts = Set.copyOf(hostSet);
        this.origins = Set.copyOf(originSet);
    }

    /** Why the Host header is refused, or empty. */
    Optional<String> hostDenial(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return Optional.of("Misdirected Request: the Host header is required");
        }
        String host = hostName(hostHeader.strip().toLowerCase(Locale.ROOT));
        return hosts.contains(host) ? Optional.empty()
                : Optional.of("Misdirected Request: the Host header names a host this server does not serve");
    }

    /**
     * Why the request's Origin headers are refused, or empty. More than one is refused: checking
     * only the first would let a second one through unchecked to whatever reads it next.
     */
    Optional<String> originsDenial(List<String> originHeaders) {
        if (originHeaders.size() > 1) {
            return Optional.of("Forbidden: send at most one Origin header");
        }
        return originDenial(originHeaders.isEmpty() ? null : originHeaders.get(0));
    }

    /** Why the Origin header is refused, or empty (also when there is none: non-browser clients send none). */
    Optional<String> originDenial(String originHeader) {
        if (originHeader == null) {
            return Optional.empty();
        }
        String origin = normalize(originHeader.strip());
        if (origins.contains(origin)) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(origin);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (web && bare && uri.getHost() != null && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            // not a URI: refused below
        }
        return Optional.of("Forbidden: the request's Origin is not allowed; add it to http.allowed_origins if this "
                + "browser client is trusted");
    }

    private static String hostName(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close < 0 ? hostHeader : hostHeader.substring(0, close + 1);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    private static String origin(URI url) {
        int port = url.getPort();
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT)
                + (port < 0 ? "" : ":" + port);
    }

    private static String normalize(String origin) {
        String value = origin.toLowerCase(Locale.ROOT);
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
