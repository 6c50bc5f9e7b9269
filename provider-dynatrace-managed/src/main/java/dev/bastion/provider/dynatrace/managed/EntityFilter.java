package dev.bastion.provider.dynatrace.managed;

import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.InvalidArgument;
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

    final Arg<String> type;
    private final Arg<List<String>> ids;
    private final Arg<String> name;
    private final Arg<String> nameMatch;
    private final Arg<List<String>> tags;
    private final Arg<String> zone;

    /**
     * @param purpose what the entities are for, such as {@code of affected entities}
     * @param typeRequired whether {@code entity_type} is required
     */
    EntityFilter(String purpose, boolean typeRequired) {
        Arg<String> entityType = Arg.pattern("entity_type", "Entity type " + purpose + ", such as HOST, SERVICE, PROCESS_GROUP,"
                + " APPLICATION, KUBERNETES_CLUSTER (see dynatrace_managed_list_entity_types).", ENTITY_TYPE_PATTERN, 64);
        type = typeRequired ? entityType.required() : entityType;
        ids = Arg.strings("entity_ids", "Entity ids " + purpose + ", such as [\"HOST-0F66906C3BC01429\"].", 50, 100,
                ENTITY_ID_PATTERN);
        name = selectorText("entity_name", "Entity name " + purpose + "; matched as entity_name_match says."
                + " Plain text, no selector syntax needed.", 500);
        nameMatch = Arg.enumeration("entity_name_match", "How entity_name matches: contains (case-insensitive),"
                + " equals or startsWith.", NAME_MATCHES).withDefault("contains");
        tags = Arg.strings("tags", "Tags the entities must all have, written key or key:value or [context]key:value,"
                + " such as [\"env:prod\"].", 10, 300, null).checked(values -> values.forEach(Selector::checkValue));
        zone = selectorText("management_zone", "Management zone name the entities belong to.", 300);
    }

    /** A plain-text value that goes into a selector: any text but control and formatting characters. */
    static Arg<String> selectorText(String name, String description, int maxLength) {
        return Arg.string(name, description, maxLength).checked(Selector::checkValue);
    }

    List<Arg<?>> args() {
        return List.of(type, ids, name, nameMatch, tags, zone);
    }

    /** The selector, or {@code null} when no filter argument was given. */
    String selector(Arguments args) {
        return conditions(args).build();
    }

    /** The filter's conditions, for a tool that adds conditions of its own. */
    Selector.Builder conditions(Arguments args) {
        String entityType = args.get(type);
        List<String> entityIds = args.optional(ids).orElse(List.of());
        String entityName = args.get(name);
        List<String> entityTags = args.optional(tags).orElse(List.of());
        String entityZone = args.get(zone);
        boolean filters = entityName != null || !entityTags.isEmpty() || entityZone != null;
        if (filters && entityType == null && entityIds.isEmpty()) {
            throw new InvalidArgument("entity_type",
                    "is required when entity_name, tags or management_zone filter entities (Dynatrace needs a type)");
        }
        String nameCondition = switch (args.get(nameMatch)) {
            case "equals" -> "entityName.equals";
            case "startsWith" -> "entityName.startsWith";
            default -> "entityName";
        };
        Selector.Builder builder = Selector.builder()
                .condition("type", entityType)
                .condition("entityId", entityIds)
                .condition(nameCondition, entityName)
                .condition("mzName", entityZone);
        for (String tag : entityTags) {
            builder.condition("tag", tag);
        }
        return builder;
    }
}
