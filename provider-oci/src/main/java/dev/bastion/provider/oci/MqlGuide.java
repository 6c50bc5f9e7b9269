package dev.bastion.provider.oci;

import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.prompt.PromptArgument;
import dev.bastion.core.prompt.PromptDescriptor;
import dev.bastion.core.prompt.PromptMessage;
import dev.bastion.core.prompt.PromptResult;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.resource.ResourceDescriptor;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ResourceContents;
import java.util.List;
import java.util.Map;

/** The MQL guide resource and the "why is this instance slow" prompt. */
final class MqlGuide {

    static final String URI = "oci://monitoring/mql-guide";

    /** Every line that starts with four spaces and a capital letter is a query; a test parses each. */
    static final String TEXT = """
            # OCI Monitoring Query Language (MQL)

            A query names a metric, an interval in brackets, optional dimension filters in braces, optional
            grouping, and a statistic; a predicate may follow:

                CpuUtilization[1m].mean()
                CpuUtilization[5m]{resourceDisplayName = "web-1"}.max()
                CpuUtilization[5m]{resourceDisplayName =~ "web-*"}.mean()
                CpuUtilization[5m]{availabilityDomain =~ "AD-1|AD-2"}.percentile(.9)
                MemoryUtilization[5m].groupBy(resourceDisplayName).max() > 80
                CpuUtilization[1h].grouping().mean()
                HttpRequests[1m]{backendSetName = "prod"}.sum()
                CpuUtilization[1m].mean() > 80 && MemoryUtilization[1m].mean() > 90

            - Interval (required): 1m to 60m, 1h to 24h, or 1d. The resolution of oci_summarize_metrics_data
              must not be larger than it.
            - Dimensions: name = "value" matches exactly; name =~ "a*|b" matches with * wildcards and | for or.
            - Grouping: grouping() joins all streams; groupBy(dim, ...) joins streams per dimension value.
            - Statistics: count() max() mean() min() rate() sum() increment() first() last() absent()
              percentile(p) with 0 < p < 1 (P90 is percentile(.9)).
            - Predicates: > >= == != < <= a number, or in (a, b) and not in (a, b).

            Common namespaces: oci_computeagent (CpuUtilization, MemoryUtilization, DiskBytesRead,
            NetworksBytesIn of compute instances), oci_lbaas (HttpRequests, BackendTimeouts of load
            balancers), oci_autonomous_database (CpuUtilization, StorageUtilization). Use
            oci_list_metric_namespaces and oci_list_metrics to see what a compartment has and which
            dimensions each metric carries.
            """;

    private MqlGuide() {
    }

    static Resource resource() {
        return new Resource() {
            @Override
            public ResourceDescriptor descriptor() {
                return new ResourceDescriptor(URI, "oci-mql-guide", "OCI MQL guide", "Syntax of the OCI Monitoring"
                        + " Query Language with examples and the common metric namespaces.", "text/markdown");
            }

            @Override
            public List<ResourceContents> read(CallContext context) {
                return List.of(new ResourceContents.Text(URI, "text/markdown", TEXT));
            }
        };
    }

    static Prompt slowInstance() {
        return new Prompt() {
            @Override
            public PromptDescriptor descriptor() {
                return new PromptDescriptor("oci_why_is_instance_slow", "Why is this instance slow?",
                        "Walks through the alarms and metrics of one compute instance to find why it is slow.",
                        List.of(new PromptArgument("instance", "Instance", "The instance's display name (as in"
                                + " resourceDisplayName) or OCID.", true)));
            }

            @Override
            public PromptResult get(Map<String, String> arguments, CallContext context) {
                String instance = arguments.getOrDefault("instance", "").strip();
                if (instance.isEmpty() || instance.length() > 255 || instance.contains("\"")
                        || !instance.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                    throw new IllegalArgumentException("instance must be a display name or OCID without quotes");
                }
                String dimension = instance.startsWith("ocid1.") ? "resourceId" : "resourceDisplayName";
                String text = "Find out why the OCI compute instance " + instance + " is slow, using only the read"
                        + " tools:\n"
                        + "1. oci_list_alarm_statuses with include_subtree true: is an alarm FIRING for it?\n"
                        + "2. oci_list_metrics with namespace oci_computeagent and dimension_filters {\"" + dimension
                        + "\": \"" + instance + "\"} to confirm the instance reports metrics and find its compartment.\n"
                        + "3. oci_summarize_metrics_data, namespace oci_computeagent, in that compartment, with summary"
                        + " true, for CpuUtilization[5m]{" + dimension + " = \"" + instance + "\"}.max(), then"
                        + " MemoryUtilization, DiskBytesRead and NetworksBytesIn the same way.\n"
                        + "4. For any metric that looks high, fetch its points (summary false) to see when it began.\n"
                        + "5. Conclude which resource is saturated, since when, and what to look at next. Read "
                        + URI + " for MQL syntax.";
                return new PromptResult("Why is " + instance + " slow?", List.of(PromptMessage.user(Content.text(text))));
            }
        };
    }
}
