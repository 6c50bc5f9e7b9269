package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the rate limits of several replicas are kept together ({@code security.rate_limit.store}
 * set to a {@code redis://} or {@code rediss://} URL) and what a replica does while it cannot
 * reach it.
 *
 * @param host the Redis host
 * @param port the Redis port
 * @param database the Redis logical database ({@code /db} of the URL)
 * @param tls whether the connection uses TLS ({@code rediss://})
 * @param username the ACL user name, when the server uses ACLs
 * @param password the password ({@code AUTH}), a secret
 * @param caFile a PEM file of CA certificates trusted in addition to the JDK's, for {@code rediss://}
 * @param whenUnavailable what a call gets while the store is unreachable
 * @param timeout the connect and command timeout; a dead store must not stall calls
 * @param keyPrefix the namespace of every key written, so deployments can share one Redis
 */
public record SharedStoreConfig(String host, int port, int database, boolean tls, Optional<String> username,
                                Optional<Secret> password, Optional<Path> caFile, WhenUnavailable whenUnavailable,
                                Duration timeout, String keyPrefix) {

    public static final int DEFAULT_PORT = 6379;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);
    public static final String DEFAULT_KEY_PREFIX = "bastion:rl:";

    /** What a call gets while the shared store cannot be reached. */
    public enum WhenUnavailable {
        /** Each replica limits on its own (the in-process limiter) until the store is back. */
        FAIL_OPEN,
        /** Every rate-limited call is refused until the store is back. */
        FAIL_CLOSED;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<WhenUnavailable> parse(String text) {
            String wanted = text.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(mode -> mode.configName().equals(wanted)).findFirst();
        }

        static String choices() {
            return Arrays.stream(values()).map(WhenUnavailable::configName).collect(Collectors.joining(", "));
        }
    }

    public SharedStoreConfig {
        requireNonNull(host, "host is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        requireNonNull(caFile, "caFile is null");
        requireNonNull(whenUnavailable, "whenUnavailable is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(keyPrefix, "keyPrefix is null");
        if (caFile.isPresent() && !tls) {
            throw new ProviderConfigException("security.rate_limit.store_ca_file is set but security.rate_limit.store"
                    + " is not a rediss:// (TLS) URL");
        }
    }

    /**
     * The store's location without credentials (they never belong in the URL), for logs and
     * {@code bastion check}.
     */
    public String location() {
        return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + (database == 0 ? "" : "/" + database);
    }

    /** The URL's parts, or a problem that names the setting (and never repeats its value). */
    record Location(String host, int port, int database, boolean tls) {
    }

    /**
     * Parses {@code redis://host[:port][/db]} or {@code rediss://…}.
     *
     * @throws ProviderConfigException that says what is wrong, without the value
     */
    static Location parse(String source, String text) {
        Optional<String> problem = problem(source, text);
        if (problem.isPresent()) {
            throw new ProviderConfigException(problem.get());
        }
        URI uri = URI.create(text.strip());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int database = path.isEmpty() || path.equals("/") ? 0 : Integer.parseInt(path.substring(1));
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Location(host, uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(), database,
                uri.getScheme().equalsIgnoreCase("rediss"));
    }

    /** The format check of {@code rate_limit.store}: {@code local} or a Redis URL. */
    static Optional<String> problem(String source, String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase(RateLimitConfig.LOCAL_STORE)) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of(source + " is not a URL; expected local, redis://host:port[/db] or rediss://host:port[/db]");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            return Optional.of(source + " must be local, redis://host:port[/db] or rediss://host:port[/db] (for TLS)");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of(source + " must not carry a user or password; set rate_limit.store_username and"
                    + " rate_limit.store_password (BASTION_RATE_LIMIT_STORE_PASSWORD) instead");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of(source + " names no host; expected " + scheme + "://host:port[/db]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of(source + " must have no query or fragment; expected " + scheme + "://host:port[/db]");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,5}")) {
            return Optional.of(source + " has a path that is not a database number; expected " + scheme
                    + "://host:port[/db] with db a number such as 0");
        }
        return Optional.empty();
    }
}
