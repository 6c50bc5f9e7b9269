package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds JSON-RPC 2.0 messages. */
public final class Messages {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Messages() {
    }

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode message = F.objectNode();
        message.put("jsonrpc", "2.0");
        message.set("id", id);
        message.set("result", result);
        return message;
    }

    public static ObjectNode error(JsonNode id, int code, String text, JsonNode data) {
        ObjectNode message = F.objectNode();
        message.put("jsonrpc", "2.0");
        message.set("id", id == null ? NullNode.instance : id);
        ObjectNode error = message.putObject("error");
        error.put("code", code);
        error.put("message", text);
        if (data != null) {
            error.set("data", data);
        }
        return message;
    }

    public static ObjectNode error(JsonNode id, JsonRpcException e) {
        return error(id, e.code(), e.getMessage(), e.data());
    }

    public static ObjectNode notification(String method, ObjectNode params) {
        ObjectNode message = F.objectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        return message;
    }

    public static ObjectNode request(JsonNode id, String method, ObjectNode params) {
        ObjectNode message = notification(method, params);
        message.set("id", id);
        return message;
    }
}
