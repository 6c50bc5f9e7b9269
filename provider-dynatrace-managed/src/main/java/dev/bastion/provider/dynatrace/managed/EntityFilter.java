package dev.bastion.provider.dynatrace.managed;

import java.util.List;

/**
 * The structured entity filter several tools share (type, ids, name, tags, management zone),
 * turned into an escaped {@code entitySelector}. Models never write selector syntax themselves,
 * so a name such as {@code x"),type("SERVICE} stays a name.
 */
final class EntityFilter {

    static final String ENTITY_TYPE_PATTERN = "^[A-Z][A-Z0-9_]{0,63}$";
    static final String ENTITY_ID_PATTERN = "^[A-Z][A-Z0-9_]{0,63}-[0-9A-Fa-f]{1,32}$";
    static final List<String> NAME_MATCHES = List.of("contains", "equals", "startsWith");

    private EntityFilter() {
    }

    /** Declares {@code entity_type}, {@code entity_ids}, {@code entity_name}, {@code entity_name_match}, {@code tags}, {@code management_zone}. */
    static InputSchema declare(InputSchema schema, String purpose) {
        return schema
                .pattern("entity_type", "Entity type " + purpose + ", such as HOST, SERVICE, PROCESS_GROUP,"
                        + " APPLICATION, KUBERNETES_CLUSTER (see dynatrace_managed_list_entity_types).",
                        ENTITY_TYPE_PATTERN, 64)
                .stringArray("entity_ids", "Entity ids " + purpose + ", such as [\"HOST-0F66906C3BC01429\"].", 50, 100,
                        ENTITY_ID_PATTERN)
                .string("entity_name", "Entity name " + purpose + "; matched as entity_name_match says."
                        + " Plain text, no selector syntax needed.", 500)
                .enumeration("entity_name_match", "How entity_name matches: contains (case-insensitive),"
                        + " equals or startsWith.", NAME_MATCHES, "contains")
                .stringArray("tags", "Tags the entities must all have, written key or key:value or"
                        + " [context]key:value, such as [\"env:prod\"].", 10, 300, null)
                .string("management_zone", "Management zone name the entities belong to.", 300);
    }

    /** The selector, or {@code null} when no filter argument was given. */
    static String selector(Args args, boolean typeRequired) {
        String type = args.selectorValue("entity_type");
        List<String> ids = args.selectorValues("entity_ids");
        String name = args.selectorValue("entity_name");
        List<String> tags = args.selectorValues("tags");
        String zone = args.selectorValue("management_zone");
        boolean filters = name != null || !tags.isEmpty() || zone != null;
        if (typeRequired && type == null) {
            throw new InvalidArgumentException("entity_type", "is required");
        }
        if (filters && type == null && ids.isEmpty()) {
            throw new InvalidArgumentException("entity_type",
                    "is required when entity_name, tags or management_zone filter entities (Dynatrace needs a type)");
        }
        String match = args.optText("entity_name_match", "contains");
        String nameCondition = switch (match) {
            case "contains" -> "entityName";
            case "equals" -> "entityName.equals";
            case "startsWith" -> "entityName.startsWith";
            default -> throw new InvalidArgumentException("entity_name_match", "must be one of " + NAME_MATCHES);
        };
        Selector.Builder builder = Selector.builder()
                .condition("type", type)
                .condition("entityId", ids)
                .condition(nameCondition, name)
                .condition("mzName", zone);
        for (String tag : tags) {
            builder.condition("tag", tag);
        }
        return builder.build();
    }
}
