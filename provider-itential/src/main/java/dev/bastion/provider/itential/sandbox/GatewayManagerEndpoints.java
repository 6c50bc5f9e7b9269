package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.util.List;

/**
 * Gateway Manager's services ({@code GET /gateway_manager/v1/services}): the Automation Gateway
 * services of two clusters, each with the JSON Schema of its inputs as its {@code decorator}. No
 * paging, as the platform's list has none.
 */
final class GatewayManagerEndpoints {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One service: its name, cluster, type, description and its inputs as pairs of name and type. */
    private record Service(String name, String location, String type, String description, List<String> required,
                           String... inputs) {
    }

    private static final List<Service> SERVICES = List.of(
            new Service("backup-service", "cluster-east", "ansible-playbook",
                    "Backs up device configurations to the archive", List.of("hosts"), "hosts", "string",
                    "archive", "string"),
            new Service("interface-audit", "cluster-east", "python-script",
                    "Audits interface error counters on a device", List.of("device"), "device", "string",
                    "threshold", "integer"),
            new Service("vlan-deploy", "cluster-west", "ansible-playbook",
                    "Deploys a VLAN to a site's access switches", List.of("site", "vlan_id"), "site", "string",
                    "vlan_id", "integer", "name", "string"),
            new Service("lab-network", "cluster-west", "opentofu-plan",
                    "Plans a lab network of virtual routers", List.of("size"), "size", "integer",
                    "dry_run", "boolean"));

    void register(SandboxServer.Builder builder) {
        builder.route("GET", "/gateway_manager/v1/services", request -> {
            ObjectNode out = NODES.objectNode();
            ArrayNode result = out.putArray("result");
            for (Service service : SERVICES) {
                ObjectNode metadata = result.addObject().putObject("service_metadata");
                metadata.put("name", service.name());
                metadata.put("location", service.location());
                metadata.put("type", service.type());
                metadata.put("description", service.description());
                ObjectNode decorator = metadata.putObject("decorator");
                decorator.put("$schema", "http://json-schema.org/draft-07/schema#");
                decorator.put("type", "object");
                ObjectNode properties = decorator.putObject("properties");
                for (int i = 0; i < service.inputs().length; i += 2) {
                    properties.putObject(service.inputs()[i]).put("type", service.inputs()[i + 1]);
                }
                service.required().forEach(decorator.putArray("required")::add);
            }
            return SandboxResponse.json(out);
        });
    }
}
