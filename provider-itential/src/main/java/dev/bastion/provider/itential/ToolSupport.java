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


    /**
     * Epoch milliseconds, epoch seconds (ten digits or fewer), or an ISO time, as ISO-8601 seconds;
     * {@code null} otherwise.
     */
    static String time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber() || value.asText().matches("^[0-9]{10,13}$")) {
            long number = value.asLong();
            // The platform counts in milliseconds; ten digits are seconds (until the year 2286).
            long millis = number < 10_000_000_000L ? number * 1000 : number;
            return number <= 0 ? null : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
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
     * Reads an Operations Manager list page by page ({@code limit} 100 and {@code skip}) to its end:
     * {@code metadata.nextPageSkip} null on the last page, else {@code metadata.total}; or to
     * {@code cap} items, which the listing states.
     *
     * @param page the request for one page, without {@code limit} and {@code skip}
     */
    Listing list(java.util.function.Supplier<dev.bastion.toolkit.http.BackendRequest> page, int cap,
                 dev.bastion.core.tool.CallContext context) {
        dev.bastion.toolkit.http.OffsetPaging.Result result = dev.bastion.toolkit.http.OffsetPaging.readAll(
                PAGE_LIMIT, cap, (offset, limit) -> {
                    JsonNode answer = client.send(page.get().query("limit", limit).query("skip", offset), context);
                    JsonNode metadata = answer.path("metadata");
                    JsonNode next = metadata.path("nextPageSkip");
                    Boolean more = metadata.has("nextPageSkip") ? Boolean.valueOf(next.isNumber()) : null;
                    return new dev.bastion.toolkit.http.OffsetPaging.Page(items(data(answer)),
                            metadata.path("total").isNumber() ? metadata.path("total").asLong() : -1, more);
                });
        return new Listing(result.items(), result.total(), result.truncated());
    }

    /** The elements of an array node (none for anything else). */
    static java.util.List<JsonNode> items(JsonNode array) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        if (array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    /** A number field of {@code node}, or {@code -1} when it is absent or not a number. */
    static long count(JsonNode node, String field) {
        return node.path(field).isNumber() ? node.path(field).asLong() : -1;
    }
}
