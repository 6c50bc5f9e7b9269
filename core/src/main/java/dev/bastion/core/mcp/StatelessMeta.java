package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.LogLevel;

/**
 * The per-request state of the stateless protocol (2026-07-28), read from {@code params._meta}:
 * there is no {@code initialize}, so every request says which version it speaks, what the client
 * can do and, optionally, who it is and which log messages it wants.
 *
 * @param protocolVersion {@code io.modelcontextprotocol/protocolVersion}
 * @param clientCapabilities {@code io.modelcontextprotocol/clientCapabilities}
 * @param clientName the {@code name} of {@code io.modelcontextprotocol/clientInfo}, or {@code null}
 * @param logLevel {@code io.modelcontextprotocol/logLevel}, or {@code null}: then the request gets no
 *     log messages at all
 */
public record StatelessMeta(String protocolVersion, ObjectNode clientCapabilities, String clientName,
                            LogLevel logLevel) {

    public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    public static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    public static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    /** Whether {@code message} is a request of the stateless protocol: its {@code _meta} names a version. */
    public static boolean declaredIn(JsonNode message) {
        JsonNode meta = message == null ? null : message.path("params").path("_meta");
        return meta != null && meta.isObject() && meta.has(PROTOCOL_VERSION);
    }

    /**
     * Reads the request's {@code _meta}; the version is not checked here (see {@link #requireSupported}).
     *
     * @throws JsonRpcException {@code -32602} naming the missing or malformed field
     */
    public static StatelessMeta read(ObjectNode params) throws JsonRpcException {
        JsonNode meta = params == null ? null : params.get("_meta");
        if (meta == null || !meta.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: a 2026-07-28 request carries params._meta with "
                    + PROTOCOL_VERSION + " and " + CLIENT_CAPABILITIES);
        }
        JsonNode version = meta.get(PROTOCOL_VERSION);
        if (version == null || !version.isTextual() || version.asText().isBlank()) {
            throw JsonRpcException.invalidParams("Invalid params: params._meta." + PROTOCOL_VERSION
                    + " is required (a string such as \"" + ProtocolVersions.STATELESS + "\")");
        }
        JsonNode capabilities = meta.get(CLIENT_CAPABILITIES);
        if (capabilities == null || !capabilities.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: params._meta." + CLIENT_CAPABILITIES
                    + " is required (an object; {} for none)");
        }
        JsonNode info = meta.get(CLIENT_INFO);
        if (info != null && !info.isNull() && !info.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: params._meta." + CLIENT_INFO + " must be an object");
        }
        String clientName = info != null && info.path("name").isTextual() ? info.get("name").asText() : null;
        LogLevel level = null;
        JsonNode requested = meta.get(LOG_LEVEL);
        if (requested != null && !requested.isNull()) {
            if (!requested.isTextual()) {
                throw JsonRpcException.invalidParams("Invalid params: params._meta." + LOG_LEVEL + " must be a string");
            }
            level = LogLevel.fromWire(requested.asText()).orElseThrow(() -> JsonRpcException.invalidParams(
                    "Invalid params: unknown log level '" + requested.asText() + "' in params._meta." + LOG_LEVEL
                            + "; use one of debug, info, notice, warning, error, critical, alert, emergency"));
        }
        return new StatelessMeta(version.asText(), ((ObjectNode) capabilities).deepCopy(), clientName, level);
    }

    /**
     * @throws JsonRpcException {@code -32022} with {@code data.supported} and {@code data.requested}
     *     when this server does not speak the version statelessly
     */
    public void requireSupported() throws JsonRpcException {
        if (ProtocolVersions.isStateless(protocolVersion)) {
            return;
        }
        throw unsupported(protocolVersion);
    }

    /** The error for a version this server does not speak statelessly. */
    public static JsonRpcException unsupported(String requested) {
        ObjectNode data = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ProtocolVersions.STATELESS_SUPPORTED.forEach(data.putArray("supported")::add);
        data.put("requested", requested);
        return new JsonRpcException(JsonRpcException.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version: "
                + requested + "; this server speaks " + String.join(", ", ProtocolVersions.STATELESS_SUPPORTED)
                + " without a session, or " + String.join(", ", ProtocolVersions.SUPPORTED) + " after initialize",
                data);
    }
}
