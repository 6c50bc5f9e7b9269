package dev.bastion.core.mcp;

import java.util.List;

/** The legacy (handshake) protocol versions this engine speaks, newest first. */
public final class ProtocolVersions {

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

    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    /** JSON-RPC batch arrays existed only in 2025-03-26. */
    public static boolean allowsBatch(String version) {
        return "2025-03-26".equals(version);
    }
}
