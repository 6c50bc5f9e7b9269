package dev.bastion.security.outbound;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach one backend (one provider instance).
 *
 * @param name a label such as {@code dynatrace-managed/prod}, used in logs, metrics and error messages
 * @param credentials applied to every request by an interceptor
 * @param caFile an extra PEM CA bundle to trust, or {@code null}
 * @param proxy a per-instance proxy URL, or {@code null} to follow {@code HTTPS_PROXY}/{@code NO_PROXY}
 * @param connectTimeout TCP and TLS connect timeout
 * @param readTimeout the longest silence while reading a response
 * @param callTimeout the whole call, retries and their waits included; {@code 0} for none
 * @param maxResponseBytes response bodies larger than this fail instead of filling memory
 * @param maxRequestsPerSecond a per-backend client-side limit; {@code 0} for none
 * @param allowInsecureLoopback allow plain {@code http://} to loopback hosts ({@code localhost},
 *     {@code 127.0.0.0/8}, {@code ::1}) for sandboxes and tests; every other host is HTTPS only
 * @param linkLocalOrigin the one plain-http origin on a link-local address ({@code 169.254.0.0/16},
 *     {@code fe80::/10}) this backend may reach, such as a cloud's instance metadata service
 *     {@code http://169.254.169.254}, or {@code null}; the exception covers that scheme, address and
 *     port only, for this backend's client only
 * @param propagateTraceContext send the W3C {@code traceparent} (and {@code tracestate}) of the
 *     current trace with each request, so the backend's own tracing joins the trace; off unless the
 *     operator turns it on, because the header tells the backend about the caller's trace
 */
public record BackendSpec(
        String name,
        BackendCredentials credentials,
        Path caFile,
        URI proxy,
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        long maxResponseBytes,
        double maxRequestsPerSecond,
        boolean allowInsecureLoopback,
        URI linkLocalOrigin,
        boolean propagateTraceContext) {

    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    public BackendSpec {
        requireNonNull(name, "name is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requireNonNull(callTimeout, "callTimeout is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        requireNotNegative(connectTimeout, "connectTimeout");
        requireNotNegative(readTimeout, "readTimeout");
        requireNotNegative(callTimeout, "callTimeout");
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        if (!Double.isFinite(maxRequestsPerSecond) || maxRequestsPerSecond < 0) {
            throw new IllegalArgumentException("maxRequestsPerSecond must be 0 (no limit) or a positive number");
        }
        if (linkLocalOrigin != null) {
            requireLinkLocalOrigin(linkLocalOrigin);
        }
    }

    /**
     * The same backend with neither credentials nor the link-local exception: for a token endpoint
     * that authenticates a client on the backend's behalf.
     */
    public BackendSpec withoutCredentials() {
        return new BackendSpec(name, BackendCredentials.NONE, caFile, proxy, connectTimeout, readTimeout, callTimeout,
                maxResponseBytes, maxRequestsPerSecond, allowInsecureLoopback, null, propagateTraceContext);
    }

    private static void requireLinkLocalOrigin(URI origin) {
        boolean plainOrigin = "http".equals(origin.getScheme()) && origin.getHost() != null
                && origin.getRawUserInfo() == null && origin.getRawQuery() == null && origin.getRawFragment() == null
                && (origin.getRawPath() == null || origin.getRawPath().isEmpty() || origin.getRawPath().equals("/"));
        if (!plainOrigin || !HttpsOnlyInterceptor.isLinkLocal(origin.getHost())) {
            throw new IllegalArgumentException("linkLocalOrigin must be http://<link-local address>[:port] with no"
                    + " path, such as http://169.254.169.254");
        }
    }

    /** Shows the settings without the proxy's user-info, which may hold a password. */
    @Override
    public String toString() {
        String shownProxy = proxy == null ? "none" : ProxyEndpoint.withoutUserInfo(proxy.toString());
        return "BackendSpec[name=" + name + ", caFile=" + caFile + ", proxy=" + shownProxy + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout=" + callTimeout
                + ", maxResponseBytes=" + maxResponseBytes + ", maxRequestsPerSecond=" + maxRequestsPerSecond
                + ", allowInsecureLoopback=" + allowInsecureLoopback
                + (linkLocalOrigin == null ? "" : ", linkLocalOrigin=" + linkLocalOrigin)
                + (propagateTraceContext ? ", propagateTraceContext=true" : "") + "]";
    }

    private static void requireNotNegative(Duration value, String what) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
    }

    public Optional<Path> ca() {
        return Optional.ofNullable(caFile);
    }

    public Optional<URI> proxyUrl() {
        return Optional.ofNullable(proxy);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private BackendCredentials credentials = BackendCredentials.NONE;
        private Path caFile;
        private URI proxy;
        private boolean propagateTraceContext;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private double maxRequestsPerSecond;
        private boolean allowInsecureLoopback;
        private URI linkLocalOrigin;

        private Builder(String name) {
            this.name = name;
        }

        public Builder credentials(BackendCredentials value) {
            this.credentials = value;
            return this;
        }

        public Builder caFile(Path value) {
            this.caFile = value;
            return this;
        }

        public Builder proxy(URI value) {
            this.proxy = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        public Builder callTimeout(Duration value) {
            this.callTimeout = value;
            return this;
        }

        public Builder maxResponseBytes(long value) {
            this.maxResponseBytes = value;
            return this;
        }

        public Builder maxRequestsPerSecond(double value) {
            this.maxRequestsPerSecond = value;
            return this;
        }

        public Builder allowInsecureLoopback(boolean value) {
            this.allowInsecureLoopback = value;
            return this;
        }

        /**
         * Lets this backend's client reach {@code origin}, an {@code http://} origin on a link-local
         * address, without TLS: the narrowest exception for a cloud instance metadata service.
         */
        public Builder linkLocalOrigin(URI origin) {
            this.linkLocalOrigin = origin;
            return this;
        }

        /** Sends the current trace's W3C {@code traceparent} with each request (see the record's parameter). */
        public Builder propagateTraceContext(boolean value) {
            this.propagateTraceContext = value;
            return this;
        }

        public BackendSpec build() {
            return new BackendSpec(name, credentials, caFile, proxy, connectTimeout, readTimeout, callTimeout,
                    maxResponseBytes, maxRequestsPerSecond, allowInsecureLoopback, linkLocalOrigin,
                    propagateTraceContext);
        }
    }
}
