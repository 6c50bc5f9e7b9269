package dev.bastion.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bastion.core.mcp.JsonRpcException;
import dev.bastion.core.mcp.Messages;
import java.nio.charset.StandardCharsets;

/**
 * Every error body this transport sends: a JSON-RPC error object with a specific, safe message.
 * Never a stack trace, a class name or a secret: the messages are fixed text written here or by
 * the engine (which redacts).
 */
final class ErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBodies() {
    }

    static byte[] error(JsonNode id, int code, String message) {
        try {
            return JSON.writeValueAsBytes(Messages.error(id, code, message, null));
        } catch (JsonProcessingException e) {
            return ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + JsonRpcException.INTERNAL_ERROR
                    + ",\"message\":\"Internal error\"}}").getBytes(StandardCharsets.UTF_8);
        }
    }

    static byte[] error(int code, String message) {
        return error(null, code, message);
    }

    /** The JSON-RPC code that fits an HTTP error status. */
    static int codeFor(int status) {
        return status >= 500 ? JsonRpcException.INTERNAL_ERROR : JsonRpcException.INVALID_REQUEST;
    }

    /** A fixed message for errors Jetty itself raises (malformed HTTP, limits). */
    static String messageFor(int status) {
        return switch (status) {
            case 400 -> "Bad Request: the HTTP request is malformed";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout: the request was not received in time";
            case 413 -> "Payload Too Large: the request body exceeds the server's limit";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request: the Host header names a host this server does not serve";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large: the request headers exceed the server's limit";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal error" : "Bad Request";
        };
    }
}
