package dev.bastion.core.resource;

import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ResourceContents;
import java.util.List;
import java.util.Map;

/**
 * A family of resources addressed by a URI template such as {@code test://template/{id}/data}.
 * The engine matches request URIs against the template and passes the variables.
 */
public interface ResourceTemplate {

    ResourceTemplateDescriptor descriptor();

    List<ResourceContents> read(String uri, Map<String, String> variables, CallContext context) throws Exception;

    /** Completion values for template variable {@code variable} starting from {@code prefix}. */
    default List<String> complete(String variable, String prefix, Map<String, String> context) {
        return List.of();
    }
}
