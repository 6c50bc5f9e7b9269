package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ListChange;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code subscriptions/listen} stream (2026-07-28): the kinds of change the client asked for,
 * where to send them, and the listen request's id, which tags every message as its
 * {@code subscriptionId}. It ends when the client goes away or the server stops; then the listen
 * request gets its result.
 */
final class Subscription {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final JsonNode id;
    private final boolean tools;
    private final boolean prompts;
    private final boolean resources;
    private final Set<String> resourceUris;
    private final MessageSink sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    Subscription(JsonNode id, boolean tools, boolean prompts, boolean resources, Set<String> resourceUris,
                 MessageSink sink) {
        this.id = id;
        this.tools = tools;
        this.prompts = prompts;
        this.resources = resources;
        this.resourceUris = Set.copyOf(resourceUris);
        this.sink = sink;
    }

    /** The filter as honoured, for the acknowledgement. */
    ObjectNode honoured() {
        ObjectNode filter = F.objectNode();
        if (tools) {
            filter.put("toolsListChanged", true);
        }
        if (prompts) {
            filter.put("promptsListChanged", true);
        }
        if (resources) {
            filter.put("resourcesListChanged", true);
        }
        if (!resourceUris.isEmpty()) {
            resourceUris.stream().sorted().forEach(filter.putArray("resourceSubscriptions")::add);
        }
        return filter;
    }

    boolean wants(ListChange change) {
        return switch (change) {
            case TOOLS -> tools;
            case PROMPTS -> prompts;
            case RESOURCES -> resources;
        };
    }

    boolean watches(String uri) {
        return resourceUris.contains(uri);
    }

    /** Sends a notification tagged with this subscription's id. */
    void send(String method, ObjectNode params) {
        if (done.isDone()) {
            return;
        }
        ObjectNode tagged = params == null ? F.objectNode() : params.deepCopy();
        tagged.with("_meta").set(StatelessMeta.SUBSCRIPTION_ID, id);
        try {
            sink.send(Messages.notification(method, tagged));
        } catch (RuntimeException e) {
            end(false);
        }
    }

    /** Ends the stream; when {@code answer}, the listen request gets its result first (a graceful close). */
    void end(boolean answer) {
        if (done.isDone()) {
            return;
        }
        if (answer) {
            ObjectNode result = F.objectNode();
            result.put("resultType", "complete");
            result.putObject("_meta").set(StatelessMeta.SUBSCRIPTION_ID, id);
            try {
                sink.send(Messages.result(id, result));
            } catch (RuntimeException e) {
                // the client is gone already
            }
        }
        done.complete(null);
    }

    CompletableFuture<Void> done() {
        return done;
    }
}
