package dev.bastion.provider.oci;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.Cursor;
import dev.bastion.toolkit.tool.ToolSpec;

/** What the OCI tools share: the client, the compartment arguments and the policy each tool needs. */
final class ToolSupport {

    static final String PREFIX = "oci_";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static final String READ_METRICS = "read metrics in compartment <compartment> (or tenancy)";
    static final String READ_ALARMS = "read alarms in compartment <compartment> (or tenancy)";
    static final String INSPECT_COMPARTMENTS = "inspect compartments in tenancy";

    static final Arg<String> COMPARTMENT_ID = Arg.pattern("compartment_id", "OCID of the compartment (or the tenancy)"
            + " to look in; default the instance's compartment_id setting, else the tenancy.",
            OciSettings.COMPARTMENT_PATTERN, 300);
    static final Arg<Boolean> INCLUDE_SUBTREE = Arg.bool("include_subtree",
            "Also look in every compartment below compartment_id.").withDefault(false);
    static final Arg<String> NEXT_PAGE = Cursor.arg("Send the same other arguments as for the first page.");
    static final String ALARM_PATTERN = "^ocid1\\.alarm\\.oc[0-9]+\\.[a-z0-9-]*\\.[a-z0-9]{1,255}$";
    static final Arg<String> ALARM_ID = Arg.pattern("alarm_id", "OCID of the alarm (ocid1.alarm....), from"
            + " oci_list_alarms or oci_list_alarm_statuses.", ALARM_PATTERN, 300).required();

    final OciClient client;

    ToolSupport(OciClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    static ToolSpec.Builder read(String name, String title, String policy) {
        return ToolSpec.read(PREFIX + name, title).permission("an IAM policy: allow group <your group> to " + policy)
                .idempotent();
    }

    String compartment(Arguments args) {
        return args.optional(COMPARTMENT_ID).orElse(client.defaultCompartment());
    }

    static JsonNode schema(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("invalid built-in schema", e);
        }
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }
}
