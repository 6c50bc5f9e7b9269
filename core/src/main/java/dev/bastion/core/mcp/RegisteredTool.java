package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.sanitize.ErrorSanitizer;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A tool as the server lists it: one descriptor for all instances of its provider, routed to the
 * instance the caller names (or to every instance, for a fan-out with {@code ALL}).
 *
 * @param listed the descriptor shown in {@code tools/list}, with the instance argument added when there is one
 * @param providerId the owning provider
 * @param instanceArgument the name of the argument that selects the instance, or empty
 * @param byAlias the tool of each instance, in configuration order
 * @param headerParameters its {@code x-mcp-header} parameters: header name to property
 *     ({@link HeaderParameters#of}), read once here
 */
public record RegisteredTool(ToolDescriptor listed, String providerId, Optional<String> instanceArgument,
                             Map<String, Tool> byAlias, Map<String, String> headerParameters) {

    public static final String ALL_INSTANCES = "ALL";

    public RegisteredTool {
        requireNonNull(listed, "listed is null");
        requireNonNull(providerId, "providerId is null");
        requireNonNull(instanceArgument, "instanceArgument is null");
        byAlias = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byAlias));
        headerParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(headerParameters, "headerParameters is null")));
    }

    /**
     * With the header parameters its descriptor declares.
     *
     * @throws IllegalArgumentException when a declaration is invalid (see {@link HeaderParameters#of})
     */
    public RegisteredTool(ToolDescriptor listed, String providerId, Optional<String> instanceArgument,
                          Map<String, Tool> byAlias) {
        this(listed, providerId, instanceArgument, byAlias, HeaderParameters.of(listed.name(), listed.inputSchema()));
    }

    public String name() {
        return listed.name();
    }

    public List<String> aliases() {
        return List.copyOf(byAlias.keySet());
    }

    /** The instance a call goes to: the instance argument's value, else the first alias. */
    public String instanceFor(ObjectNode arguments) {
        if (instanceArgument.isPresent()) {
            JsonNode value = arguments.get(instanceArgument.get());
            if (value != null && value.isTextual()) {
                return value.asText();
            }
        }
        return byAlias.keySet().iterator().next();
    }

    /**
     * Runs the tool on {@code instance}, or on every instance concurrently for {@code ALL}. A tool's
     * exception becomes a sanitised error result; cancellation propagates.
     */
    public ToolResult invoke(ObjectNode arguments, String instance, CallContext context, Executor fanOutExecutor,
                             ErrorSanitizer sanitizer) throws InterruptedException {
        ObjectNode toolArguments = arguments.deepCopy();
        instanceArgument.ifPresent(toolArguments::remove);
        if (ALL_INSTANCES.equals(instance) && listed.fanOut()) {
            return fanOut(toolArguments, context, fanOutExecutor, sanitizer);
        }
        Tool tool = byAlias.get(instance);
        if (tool == null) {
            return ToolResult.error("Unknown " + instanceArgument.orElse("instance") + " '" + instance
                    + "'; configured: " + String.join(", ", byAlias.keySet()) + ".");
        }
        return callOne(tool, toolArguments, context, sanitizer);
    }

    private ToolResult callOne(Tool tool, ObjectNode arguments, CallContext context, ErrorSanitizer sanitizer)
            throws InterruptedException {
        try {
            ToolResult result = tool.call(arguments, context);
            if (result == null) {
                return ToolResult.error("Tool " + name() + " returned no result.");
            }
            return result;
        } catch (CancellationException | InterruptedException e) {
            throw e;
        } catch (ToolFailure e) {
            if (context.isCancelled()) {
                throw new CancellationException("the call was cancelled");
            }
            return ToolResult.error(e.getMessage());
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (context.isCancelled()) {
                throw new CancellationException("the call was cancelled");
            }
            return ToolResult.error(sanitizer.sanitize("tool " + name(), e));
        }
    }

    private ToolResult fanOut(ObjectNode arguments, CallContext context, Executor executor, ErrorSanitizer sanitizer)
            throws InterruptedException {
        Map<String, CompletableFuture<ToolResult>> running = new LinkedHashMap<>();
        for (Map.Entry<String, Tool> entry : byAlias.entrySet()) {
            running.put(entry.getKey(), CompletableFuture.supplyAsync(() -> {
                try {
                    return callOne(entry.getValue(), arguments.deepCopy(), context, sanitizer);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
            }, executor));
        }
        context.onCancel(() -> running.values().forEach(future -> future.cancel(true)));
        String argumentName = instanceArgument.orElse("instance");
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ArrayNode results = merged.putArray("results");
        List<ToolResult> outcomes = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<ToolResult>> entry : running.entrySet()) {
            ToolResult outcome;
            try {
                outcome = entry.getValue().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InputRequired asked) {
                    // A question asked by one instance's part belongs to the whole call (2026-07-28).
                    throw asked;
                }
                outcome = ToolResult.error(sanitizer.sanitize("tool " + name(), e.getCause()));
            } catch (CancellationException e) {
                throw e;
            }
            outcomes.add(outcome);
            ObjectNode item = results.addObject();
            item.put(argumentName, entry.getKey());
            item.put("isError", outcome.isError());
            if (outcome.isError()) {
                item.put("error", outcome.allText());
            } else if (outcome.structuredContent() != null) {
                item.set("structuredContent", outcome.structuredContent());
            } else {
                item.put("text", outcome.allText());
            }
        }
        boolean allFailed = outcomes.stream().allMatch(ToolResult::isError);
        return new ToolResult(List.of(Content.text(merged.toString())), merged, allFailed);
    }
}
