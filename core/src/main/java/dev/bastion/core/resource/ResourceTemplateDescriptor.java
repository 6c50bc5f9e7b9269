package dev.bastion.core.resource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a client sees of a resource template (RFC 6570 level 1) in {@code resources/templates/list}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceTemplateDescriptor(String uriTemplate, String name, String title, String description,
                                         String mimeType) {
    public ResourceTemplateDescriptor {
        requireNonNull(uriTemplate, "uriTemplate is null");
        requireNonNull(name, "name is null");
    }
}
