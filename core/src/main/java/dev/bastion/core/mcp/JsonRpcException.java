package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A protocol fault answered with a JSON-RPC error object. The message is sent to the client as is,
 * so it must be specific and safe: it names the rule, never a secret or a Java class.
 */
public final class JsonRpcException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** Legacy MCP: the requested resource does not exist. */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** 2026-07-28: an HTTP header disagrees with the request ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}). */
    public static final int HEADER_MISMATCH = -32020;
    /** 2026-07-28: the request needs a client capability its {@code _meta} does not declare. */
    public static final int MISSING_CLIENT_CAPABILITY = -32021;
    /** 2026-07-28: the request's protocol version is not one the server speaks. */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private final int code;
    private final transient JsonNode data;

    public JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    public JsonRpcException(int code, String message, JsonNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public static JsonRpcException invalidParams(String message) {
        return new JsonRpcException(INVALID_PARAMS, message);
    }

    public int code() {
        return code;
    }

    public JsonNode data() {
        return data;
    }
}
