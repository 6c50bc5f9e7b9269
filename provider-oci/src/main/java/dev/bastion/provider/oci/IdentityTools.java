package dev.bastion.provider.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.JsonBackend;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The compartment tree (Identity ListCompartments). */
final class IdentityTools {

    /** Pages are followed to completion up to this many compartments; the result says when it stopped. */
    static final int MAX_COMPARTMENTS = 2000;
    static final int PAGE_SIZE = 1000;

    private static final Arg<String> NAME = Arg.string("name", "Only the compartment with exactly this name.", 100);
    private static final Arg<String> STATE = Arg.enumeration("lifecycle_state", "Only compartments in this state;"
            + " default all states (deleted ones included, as OCI lists them).",
            List.of("CREATING", "ACTIVE", "INACTIVE", "DELETING", "DELETED"));

    private final ToolSupport support;

    IdentityTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listCompartments());
    }

    private ToolSpec listCompartments() {
        return ToolSupport.read("list_compartments", "List compartments", ToolSupport.INSPECT_COMPARTMENTS)
                .description("Lists the compartments directly under compartment_id (default the tenancy), or the whole"
                        + " tree below it with include_subtree. Each has its OCID (use it as compartment_id in the"
                        + " other tools), name, parent and state. All pages are read, up to " + MAX_COMPARTMENTS
                        + " compartments; 'truncated' says when the cap was reached.")
                .args(ToolSupport.COMPARTMENT_ID, ToolSupport.INCLUDE_SUBTREE, NAME, STATE)
                .output("""
                        {"type":"object","required":["compartments","count"],"properties":{
                          "compartments":{"type":"array","items":{"type":"object","required":["id","name"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"parent_id":{"type":"string"},
                            "description":{"type":"string"},"state":{"type":"string"}}}},
                          "count":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("identity", "compartments").fanOut()
                .handler((args, context) -> {
                    String compartment = support.compartment(args);
                    boolean subtree = args.get(ToolSupport.INCLUDE_SUBTREE);
                    // OCI lists a subtree only from the tenancy with accessLevel ACCESSIBLE; a subtree of another
                    // compartment is that listing narrowed to its descendants.
                    boolean fromTenancy = subtree;
                    List<JsonNode> all = new ArrayList<>();
                    String page = null;
                    boolean truncated = false;
                    do {
                        BackendRequest request = support.client.identityGet("compartments")
                                .query("compartmentId", fromTenancy ? support.client.tenancyId() : compartment)
                                .query("limit", PAGE_SIZE);
                        if (subtree) {
                            request.query("accessLevel", "ACCESSIBLE").query("compartmentIdInSubtree", "true");
                        }
                        args.optional(NAME).ifPresent(name -> request.query("name", name));
                        args.optional(STATE).ifPresent(state -> request.query("lifecycleState", state));
                        if (page != null) {
                            request.query("page", page);
                        }
                        JsonBackend.Reply reply = support.client.send(request, context, ToolSupport.INSPECT_COMPARTMENTS);
                        reply.body().forEach(all::add);
                        page = reply.header("opc-next-page").filter(p -> !p.isEmpty()).orElse(null);
                        if (all.size() >= MAX_COMPARTMENTS && page != null) {
                            truncated = true;
                            page = null;
                        }
                    } while (page != null);
                    if (subtree && !compartment.equals(support.client.tenancyId())) {
                        all = descendants(all, compartment);
                    }
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("compartments");
                    for (JsonNode c : all.subList(0, Math.min(all.size(), MAX_COMPARTMENTS))) {
                        ObjectNode item = list.addObject();
                        item.put("id", c.path("id").asText());
                        item.put("name", c.path("name").asText());
                        CompactJson.put(item, "parent_id", CompactJson.text(c, "compartmentId"));
                        CompactJson.put(item, "description", CompactJson.text(c, "description"));
                        CompactJson.put(item, "state", CompactJson.text(c, "lifecycleState"));
                    }
                    out.put("count", list.size());
                    if (truncated) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    /** The compartments of {@code all} that lie below {@code root}. */
    static List<JsonNode> descendants(List<JsonNode> all, String root) {
        Set<String> inside = new HashSet<>(Set.of(root));
        List<JsonNode> out = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode c : all) {
                String id = c.path("id").asText();
                if (!inside.contains(id) && inside.contains(c.path("compartmentId").asText())) {
                    inside.add(id);
                    out.add(c);
                    grew = true;
                }
            }
        }
        return out;
    }
}
