package dev.bastion.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.RegisteredTool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.security.policy.ToolPolicy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "tools", mixinStandardHelpOptions = true, description = "List every tool with its provider, instances, annotations and whether "
        + "clients see it (read-only mode and filters hide some).")
final class ToolsCommand implements Callable<Integer> {

    @ParentCommand
    BastionCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        try (BastionRuntime runtime = BastionRuntime.start(options.launch(parent.environment()),
                System.err)) {
            McpEngine engine = runtime.engine();
            ToolPolicy policy = runtime.toolPolicy();
            PrintWriter out = spec.commandLine().getOut();
            List<RegisteredTool> tools = engine.catalog().tools();
            if (json) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                for (RegisteredTool tool : tools) {
                    ObjectNode row = array.addObject();
                    row.put("name", tool.name());
                    row.put("provider", tool.providerId());
                    ArrayNode instances = row.putArray("instances");
                    tool.aliases().forEach(instances::add);
                    row.set("annotations", engine.json().valueToTree(tool.listed().annotations()));
                    row.put("visible", policy.visible(tool.listed(), Principal.local()));
                    row.put("description", tool.listed().description());
                }
                out.println(array.toPrettyString());
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"TOOL", "PROVIDER", "INSTANCES", "ANNOTATIONS", "LISTED"});
                for (RegisteredTool tool : tools) {
                    rows.add(new String[] {tool.name(), tool.providerId(), String.join(",", tool.aliases()),
                        annotations(tool.listed().annotations()),
                        policy.visible(tool.listed(), Principal.local()) ? "yes" : "no (" + hiddenBecause(policy,
                                tool) + ")"});
                }
                Table.print(out, rows);
                out.println(tools.size() + " tools from " + runtime.providers().entries().size()
                        + " provider instance(s)");
            }
            out.flush();
        }
        return 0;
    }

    private static String hiddenBecause(ToolPolicy policy, RegisteredTool tool) {
        return policy.readOnlyDenial(tool.listed()).isPresent() ? "read-only mode" : "filtered";
    }

    static String annotations(ToolAnnotations annotations) {
        List<String> flags = new ArrayList<>();
        flags.add(annotations.readOnlyHint() ? "read-only" : "write");
        if (!annotations.readOnlyHint() && annotations.destructiveHint()) {
            flags.add("destructive");
        }
        if (annotations.idempotentHint()) {
            flags.add("idempotent");
        }
        if (annotations.openWorldHint()) {
            flags.add("open-world");
        }
        return String.join(",", flags);
    }
}
