package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the engine writes outgoing messages: responses, notifications and server-to-client
 * requests. On stdio every sink is stdout; on HTTP each POST has its own (JSON or SSE) and the
 * session's standalone GET stream is another.
 */
@FunctionalInterface
public interface MessageSink {

    void send(JsonNode message);

    /** A sink that drops everything, for sessions with no standalone stream. */
    MessageSink DISCARD = message -> { };
}
