package dev.bastion.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpSession;
import dev.bastion.core.mcp.MessageSink;
import dev.bastion.core.mcp.ProtocolVersions;
import dev.bastion.core.mcp.RegisteredTool;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * One tool call through exactly the pipeline a client's call takes (validation, gates, limits,
 * redaction, audit), as the local user. Prints the CallToolResult as JSON.
 */
@Command(name = "call", mixinStandardHelpOptions = true, description = "Call one tool through the full security"
        + " pipeline and print the result. Exit status: 0 success, 1 tool error (arguments the tool's schema refuses"
        + " included, as an MCP client sees them), 2 bad command line or unknown tool.")
final class CallCommand implements Callable<Integer> {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @ParentCommand
    BastionCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Parameters(index = "0", paramLabel = "TOOL", description = "The tool name, as `bastion tools` lists it.")
    String tool;

    @Option(names = "--arg", paramLabel = "NAME=VALUE",
            description = "An argument; repeatable. Values are converted to the type the tool's schema declares.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--json", paramLabel = "OBJECT", description = "All arguments as one JSON object.")
    String json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (BastionRuntime runtime = BastionRuntime.start(options.launch(parent.environment()), System.err)) {
            McpEngine engine = runtime.engine();
            Optional<RegisteredTool> target = engine.catalog().tool(tool);
            if (target.isEmpty()) {
                err.println("bastion: " + unknownTool(runtime, engine));
                err.flush();
                return 2;
            }
            ObjectNode args;
            try {
                args = arguments(engine.json(), target.get());
            } catch (IllegalArgumentException e) {
                err.println("bastion: " + e.getMessage());
                err.flush();
                return 2;
            }
            JsonNode response = call(engine, args);
            if (response.has("error")) {
                err.println("bastion: " + response.get("error").path("message").asText());
                err.flush();
                return 2;
            }
            JsonNode result = response.get("result");
            out.println(result.toPrettyString());
            out.flush();
            return result.path("isError").asBoolean(false) ? 1 : 0;
        }
    }

    /**
     * Why {@code tool} is not there: a provider whose prefix it has but that has no configured
     * instance, a near miss of a known name, or neither.
     */
    private String unknownTool(BastionRuntime runtime, McpEngine engine) {
        java.util.Set<String> configured = new java.util.HashSet<>();
        runtime.providers().entries().forEach(entry -> configured.add(entry.config().providerId()));
        for (dev.bastion.app.plugin.DiscoveredProvider provider : runtime.discovered().all()) {
            String prefix = provider.factory().toolPrefix();
            if (tool.startsWith(prefix) && !configured.contains(provider.id())) {
                return "unknown tool '" + tool + "': its provider " + provider.id() + " is not configured (see"
                        + " `bastion config --reference` for its settings, or try it with --sandbox)";
            }
        }
        List<String> names = new ArrayList<>();
        engine.catalog().tools().forEach(registered -> names.add(registered.listed().name()));
        return "unknown tool '" + tool + "'" + dev.bastion.core.spi.DidYouMean.hint(tool, names, "")
                + "; `bastion tools` lists them";
    }

    private JsonNode call(McpEngine engine, ObjectNode args) throws Exception {
        CompletableFuture<JsonNode> response = new CompletableFuture<>();
        MessageSink sink = message -> {
            if (message.has("id") && !message.has("method")) {
                response.complete(message);
            }
        };
        McpSession session = engine.openSession(null, Principal.local(), MessageSink.DISCARD);
        try {
            ObjectNode initialize = F.objectNode();
            initialize.put("jsonrpc", "2.0").put("id", 0).put("method", "initialize");
            initialize.putObject("params").put("protocolVersion", ProtocolVersions.LATEST)
                    .putObject("clientInfo").put("name", "bastion-cli").put("version", "1");
            session.handle(initialize, MessageSink.DISCARD, 0).get();
            ObjectNode request = F.objectNode();
            request.put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call");
            request.putObject("params").put("name", tool).set("arguments", args);
            session.handle(request, sink, request.toString().length());
            return response.get(engine.options().callTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } finally {
            session.close();
        }
    }

    private ObjectNode arguments(ObjectMapper mapper, RegisteredTool target) {
        ObjectNode args = F.objectNode();
        if (json != null) {
            try {
                JsonNode parsed = mapper.readTree(json);
                if (parsed == null || !parsed.isObject()) {
                    throw new IllegalArgumentException("--json must be a JSON object");
                }
                args.setAll((ObjectNode) parsed);
            } catch (JsonProcessingException e) {
                // The parser's own message names its internals; say where and what, briefly.
                String reason = e.getOriginalMessage().replaceAll("\\s*\\(`[^`]*` disabled\\)", "")
                        .replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "")
                        .replaceAll("\\s+", " ").strip();
                throw new IllegalArgumentException("--json is not valid JSON"
                        + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()) + ": " + reason);
            }
        }
        JsonNode properties = target.listed().inputSchema().path("properties");
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--arg needs NAME=VALUE, got '" + argument + "'");
            }
            String name = argument.substring(0, equals);
            String value = argument.substring(equals + 1);
            args.set(name, typed(mapper, name, value, properties.path(name).path("type").asText("string")));
        }
        return args;
    }

    private static JsonNode typed(ObjectMapper mapper, String name, String value, String type) {
        if (type.equals("string")) {
            return F.textNode(value);
        }
        try {
            JsonNode parsed = mapper.readTree(value);
            if (parsed != null) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("argument '" + name + "' must be a JSON " + type + ", got '" + value + "'");
    }

}
