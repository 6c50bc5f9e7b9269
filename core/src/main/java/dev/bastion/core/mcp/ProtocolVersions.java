package dev.bastion.core.mcp;

import java.util.List;

/**
 * The protocol versions this engine speaks: the legacy ones, negotiated by {@code initialize} for a
 * session (newest first), and the stateless one, declared in every request's {@code _meta}.
 */
public final class ProtocolVersions {

    /** The stateless protocol: no {@code initialize}, no session, {@code _meta} on every request. */
    public static final String STATELESS = "2026-07-28";
    public static final List<String> STATELESS_SUPPORTED = List.of(STATELESS);

    public static final String LATEST = "2025-11-25";
    public static final List<String> SUPPORTED = List.of(LATEST, "2025-06-18", "2025-03-26", "2024-11-05");
    /** Assumed on HTTP when a client sends no {@code MCP-Protocol-Version} header. */
    public static final String HTTP_DEFAULT = "2025-03-26";

    private ProtocolVersions() {
    }

    /** Echoes the client's version when supported, otherwise offers the latest. */
    public static String negotiate(String requested) {
        return SUPPORTED.contains(requested) ? requested : LATEST;
    }

    /** Whether {@code version} is a legacy version this engine negotiates with {@code initialize}. */
    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    /** Whether {@code version} is a stateless version this engine serves. */
    public static boolean isStateless(String version) {
        return STATELESS_SUPPORTED.contains(version);
    }

    /** Whether {@code version} is {@code since} or newer (the versions are dates). */
    public static boolean atLeast(String version, String since) {
        return version != null && version.compareTo(since) >= 0;
    }

    /** Tool {@code annotations} came with 2025-03-26. */
    public static boolean hasToolAnnotations(String version) {
        return atLeast(version, "2025-03-26");
    }

    /** A tool's {@code title} and {@code outputSchema}, and a result's {@code structuredContent}, came with 2025-06-18. */
    public static boolean hasStructuredOutput(String version) {
        return atLeast(version, "2025-06-18");
    }

    /** JSON-RPC batch arrays existed only in 2025-03-26. */
    public static boolean allowsBatch(String version) {
        return "2025-03-26".equals(version);
    }
}
