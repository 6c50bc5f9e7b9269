package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The settings every HTTP backend has, declared once: {@code url}, {@code ca_file}, {@code proxy},
 * {@code timeout}, {@code max_requests_per_second} and {@code allow_insecure_loopback}. Read at
 * {@code create()}, so a wrong scheme or a bad value fails at start-up, not at the first call.
 *
 * @param url the backend's base URL: https, or http to a loopback address with {@code allowInsecureLoopback}
 * @param caFile an extra PEM CA bundle, or {@code null}
 * @param proxy a proxy URL for this instance, or {@code null} to follow {@code HTTPS_PROXY}/{@code NO_PROXY}
 * @param timeout the longest one backend call may take, retries included
 * @param maxRequestsPerSecond a client-side request rate limit, {@code 0} for none
 * @param allowInsecureLoopback whether plain http to a loopback address is allowed (sandboxes, tests)
 * @param propagateTraceContext whether requests carry the W3C trace context of the MCP request that made them
 */
public record BackendSettings(URI url, Path caFile, URI proxy, Duration timeout, int maxRequestsPerSecond,
                              boolean allowInsecureLoopback, boolean propagateTraceContext) {

    public static final String URL = "url";
    public static final String CA_FILE = "ca_file";
    public static final String PROXY = "proxy";
    public static final String TIMEOUT = "timeout";
    public static final String MAX_REQUESTS_PER_SECOND = "max_requests_per_second";
    public static final String ALLOW_INSECURE_LOOPBACK = "allow_insecure_loopback";
    public static final String PROPAGATE_TRACE_CONTEXT = "propagate_trace_context";

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public BackendSettings {
        requireNonNull(url, "url is null");
        requireNonNull(timeout, "timeout is null");
    }

    /** The required {@code url} setting, fed by {@code envNames} (the seed servers' own variables). */
    public static Setting url(String description, String... envNames) {
        return Setting.builder(URL, SettingType.URL).env(envNames).required().description(description).build();
    }

    /** Every standard setting but {@code url}, in the order the configuration reference shows them. */
    public static List<Setting> common(Duration defaultTimeout) {
        return List.of(
                Setting.builder(PROXY, SettingType.URL)
                        .description("HTTP proxy for this instance; by default HTTPS_PROXY/NO_PROXY apply.").build(),
                Setting.builder(CA_FILE, SettingType.PATH)
                        .description("PEM file with extra CA certificates, for a backend with a private CA.").build(),
                Setting.builder(TIMEOUT, SettingType.DURATION).defaultValue(defaultTimeout.toSeconds() + "s")
                        .description("Longest time one backend call may take, retries included.").build(),
                Setting.builder(MAX_REQUESTS_PER_SECOND, SettingType.INTEGER).defaultValue("0")
                        .description("Client-side limit of requests per second to this instance; 0 for none.")
                        .build(),
                Setting.builder(ALLOW_INSECURE_LOOPBACK, SettingType.BOOLEAN).defaultValue("false")
                        .description("Allow plain http:// to a loopback address. For sandboxes and tests only.")
                        .build(),
                Setting.builder(PROPAGATE_TRACE_CONTEXT, SettingType.BOOLEAN).defaultValue("false")
                        .description("Send the W3C traceparent of the current trace with each request to this instance "
                                + "(when tracing is on), so its own traces join Bastion's.")
                        .build());
    }

    /**
     * Reads and checks the standard settings of one instance; a failure's message names the
     * setting ({@code provider[alias].url}) and never a value.
     */
    public static BackendSettings from(ProviderConfig config, Duration defaultTimeout) {
        requireNonNull(config, "config is null");
        String where = config.providerId() + "[" + config.alias() + "]";
        URI url = config.url(URL).orElseThrow(() -> new ProviderConfigException(where + "." + URL + " is required"));
        boolean insecureLoopback = config.bool(ALLOW_INSECURE_LOOPBACK).orElse(false);
        checkUrl(where + "." + URL, url, insecureLoopback);
        Duration timeout = config.duration(TIMEOUT).orElse(defaultTimeout);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ProviderConfigException(where + "." + TIMEOUT + " must be positive");
        }
        int rate = config.integer(MAX_REQUESTS_PER_SECOND).orElse(0);
        if (rate < 0) {
            throw new ProviderConfigException(where + "." + MAX_REQUESTS_PER_SECOND + " must be 0 or more");
        }
        return new BackendSettings(url, config.path(CA_FILE).orElse(null), config.url(PROXY).orElse(null), timeout,
                rate, insecureLoopback, config.bool(PROPAGATE_TRACE_CONTEXT).orElse(false));
    }

    /** The same settings for another URL of the backend (a derived API host). */
    public BackendSettings withUrl(URI other) {
        return new BackendSettings(other, caFile, proxy, timeout, maxRequestsPerSecond, allowInsecureLoopback,
                propagateTraceContext);
    }

    /**
     * Refuses a URL the outbound client would refuse later: not https (plain http only to a
     * loopback address with {@code allow_insecure_loopback}), or with a query, fragment or user info.
     */
    public static void checkUrl(String setting, URI url, boolean allowInsecureLoopback) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ProviderConfigException(setting + " must be an https:// URL with a host");
        }
        if (scheme.equals("http")) {
            boolean loopback = OutboundHttp.isLoopbackHost(url.getHost());
            if (!loopback) {
                throw new ProviderConfigException(setting + " must use https://; plain http is allowed only to a"
                        + " loopback address with allow_insecure_loopback: true");
            }
            if (!allowInsecureLoopback) {
                throw new ProviderConfigException(setting + " uses plain http:// to a loopback address; set"
                        + " allow_insecure_loopback: true to allow it (sandboxes and tests only)");
            }
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new ProviderConfigException(setting + " must not have a query or fragment");
        }
        if (url.getRawUserInfo() != null) {
            throw new ProviderConfigException(setting + " must not carry user info; put credentials in their own"
                    + " secret settings");
        }
    }

    /**
     * The hardened outbound client for these settings, built on the first request so TLS set-up
     * stays out of the server's start-up; the CA file, the proxy setting and the credentials are
     * checked (and the credentials' secrets registered with the redactor) now.
     *
     * @param name a label such as {@code acme/prod}, for logs, metrics and messages
     */
    public Supplier<OkHttpClient> connect(ProviderContext context, String name, BackendCredentials credentials) {
        return context.require(OutboundHttp.class).lazyClient(spec(name, credentials).build());
    }

    /** As {@link #connect(ProviderContext, String, BackendCredentials)}, accepting answers of at most {@code maxResponseBytes}. */
    public Supplier<OkHttpClient> connect(ProviderContext context, String name, BackendCredentials credentials,
                                          long maxResponseBytes) {
        return context.require(OutboundHttp.class).lazyClient(spec(name, credentials).maxResponseBytes(maxResponseBytes)
                .build());
    }

    /**
     * The origin ({@code http://host[:port]}) of a plain-http URL on a link-local address
     * ({@code 169.254.0.0/16}, {@code fe80::/10}), where cloud instance metadata services listen;
     * {@code null} for any other URL. Names are never resolved.
     */
    public static URI linkLocalOrigin(URI url) {
        requireNonNull(url, "url is null");
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null
                || !OutboundHttp.isLinkLocalHost(url.getHost())) {
            return null;
        }
        return URI.create("http://" + url.getRawAuthority());
    }

    /**
     * As {@link #connect}, for a backend that may also be reached over plain http at the link-local
     * origin of {@code url} (an instance metadata service): the narrowest exception to the HTTPS rule,
     * valid for that scheme, address and port on this one client only. Sends no credentials.
     *
     * @param maxResponseBytes the largest answer accepted
     */
    public Supplier<OkHttpClient> connectLinkLocal(ProviderContext context, String name, long maxResponseBytes) {
        return context.require(OutboundHttp.class).lazyClient(spec(name, BackendCredentials.NONE)
                .linkLocalOrigin(linkLocalOrigin(url)).maxResponseBytes(maxResponseBytes).build());
    }

    /** A backend spec for these settings: timeouts, proxy, CA file, rate limit and the loopback switch. */
    public BackendSpec.Builder spec(String name, BackendCredentials credentials) {
        return BackendSpec.builder(name)
                .credentials(requireNonNull(credentials, "credentials is null"))
                .caFile(caFile)
                .proxy(proxy)
                .connectTimeout(timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
                .readTimeout(timeout)
                .callTimeout(timeout)
                .maxRequestsPerSecond(maxRequestsPerSecond)
                .allowInsecureLoopback(allowInsecureLoopback)
                .propagateTraceContext(propagateTraceContext);
    }
}
