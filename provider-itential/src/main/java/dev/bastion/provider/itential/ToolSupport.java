package dev.bastion.provider.itential;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the Itential tool groups share: the client, the name arguments and Itential's JSON shapes. */
final class ToolSupport {

    static final String PREFIX = "itential_";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Device names as Configuration Manager and MOP know them. */
    static final String DEVICE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$";
    static final Arg<String> DEVICE = Arg.pattern("device", "Name of the device, as itential_list_devices lists it.",
            DEVICE_PATTERN, 128).required();
    static final Arg<java.util.List<String>> DEVICES = Arg.strings("devices", "Names of the devices to run on, as"
            + " itential_list_devices lists them.", 50, 128, DEVICE_PATTERN).required();

    /** Ids of platform objects: Mongo ObjectIds, UUIDs and the like. */
    static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$";

    final ItentialClient client;

    ToolSupport(ItentialClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    static ToolSpec.Builder read(String name, String title, String permission) {
        return ToolSpec.read(PREFIX + name, title).permission(role(permission)).idempotent();
    }

    static ToolSpec.Builder write(String name, String title, String permission) {
        return ToolSpec.write(PREFIX + name, title).permission(role(permission));
    }

    static ToolSpec.Builder destructive(String name, String title, String permission) {
        return ToolSpec.destructive(PREFIX + name, title).permission(role(permission));
    }

    private static String role(String method) {
        return "a platform role that allows " + method + "; ask the platform administrator to grant it to the"
                + " configured user or service account";
    }

    /** The {@code data} of Operations Manager's {@code {message, data, metadata}} envelope. */
    static JsonNode data(JsonNode envelope) {
        return envelope.has("data") ? envelope.path("data") : envelope;
    }


    /** Epoch milliseconds (a number, or a number as text) or an ISO time as ISO-8601 seconds; {@code null} otherwise. */
    static String time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber() || value.asText().matches("^[0-9]{10,13}$")) {
            long millis = value.asLong();
            return millis <= 0 ? null : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        try {
            return Instant.parse(value.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** An {@code id} argument of this pattern, required. */
    static Arg<String> id(String name, String description) {
        return Arg.pattern(name, description, ID_PATTERN, 128).required();
    }

    /** Operations Manager's page size cap. */
    static final int PAGE_LIMIT = 100;

    /**
     * What an Operations Manager listing returned.
     *
     * @param items the items read, at most the cap
     * @param total the platform's count of all matches
     * @param truncated whether the cap stopped the reading before the last page
     */
    record Listing(java.util.List<JsonNode> items, long total, boolean truncated) {
    }

    /**
     * Reads an Operations Manager list page by page ({@code limit} 100, {@code skip} from
     * {@code metadata.nextPageSkip}) until the last page or {@code cap} items.
     *
     * @param page the request for one page, without {@code limit} and {@code skip}
     */
    Listing list(java.util.function.Supplier<dev.bastion.toolkit.http.BackendRequest> page, int cap,
                 dev.bastion.core.tool.CallContext context) {
        java.util.List<JsonNode> items = new java.util.ArrayList<>();
        long total = 0;
        int skip = 0;
        while (true) {
            JsonNode answer = client.send(page.get().query("limit", PAGE_LIMIT).query("skip", skip), context);
            JsonNode metadata = answer.path("metadata");
            total = metadata.path("total").asLong(total);
            for (JsonNode item : data(answer)) {
                if (items.size() == cap) {
                    return new Listing(items, Math.max(total, items.size()), true);
                }
                items.add(item);
            }
            // nextPageSkip (null on the last page) is the platform's signal; older ones only count.
            JsonNode next = metadata.path("nextPageSkip");
            int pageSize = data(answer).size();
            int nextSkip = next.isNumber() ? next.asInt() : items.size() < total ? skip + pageSize : -1;
            if (pageSize == 0 || nextSkip <= skip) {
                return new Listing(items, Math.max(total, items.size()), false);
            }
            skip = nextSkip;
        }
    }
}
