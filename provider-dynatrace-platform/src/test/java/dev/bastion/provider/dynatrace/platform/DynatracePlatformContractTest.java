package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import dev.bastion.testkit.ProviderBehavior;
import dev.bastion.testkit.ProviderContractTest;
import dev.bastion.testkit.SchemaArguments;

/** The testkit's provider contract against the Dynatrace Platform sandbox. */
class DynatracePlatformContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new DynatracePlatformProviderFactory();
    }

    @Override
    protected boolean hasBehavior(ProviderBehavior behavior) {
        return switch (behavior) {
            case SUPPORTS_FAN_OUT, SUPPORTS_WRITES -> true;
            default -> super.hasBehavior(behavior);
        };
    }

    /** A value from the working instance's environment (the first). */
    private String value(String table, String field) {
        DynatracePlatformSandbox sandbox = (DynatracePlatformSandbox) sandbox().orElseThrow();
        return sandbox.values(sandbox.environmentIds().get(0), table, field).get(0);
    }

    @Override
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        switch (tool.name()) {
            case "dynatrace_platform_execute_dql", "dynatrace_platform_verify_dql", "dynatrace_platform_explain_dql" ->
                    args.put("query", "fetch logs | filter loglevel == \"ERROR\" | limit 5");
            case "dynatrace_platform_generate_dql" -> args.put("text", "error logs of the last 2 hours");
            case "dynatrace_platform_ask_davis_copilot" -> args.put("question", "How many problems are open?");
            case "dynatrace_platform_find_entities" -> args.put("type", "host");
            case "dynatrace_platform_send_email" -> {
                args.putArray("to").add("ops@example.com");
                args.put("subject", "Bastion contract test");
                args.put("body", "Sent by the provider contract test against the sandbox.");
            }
            case "dynatrace_platform_get_problem_details" -> args.put("problem_id", value("dt.davis.problems", "display_id"));
            case "dynatrace_platform_get_vulnerability_details" -> args.put("vulnerability_id",
                    value("security.events", "vulnerability.display_id"));
            case "dynatrace_platform_get_entity_details" -> args.put("entity_id", value("dt.entity.host", "id"));
            case "dynatrace_platform_execute_davis_analyzer" -> {
                args.put("analyzer", "dt.statistics.GenericForecastAnalyzer");
                args.putObject("input").put("timeSeriesData", "timeseries avg(dt.host.cpu.usage)")
                        .put("forecastHorizon", 12);
            }
            default -> {
                return SchemaArguments.minimal(tool.inputSchema());
            }
        }
        return args;
    }
}
