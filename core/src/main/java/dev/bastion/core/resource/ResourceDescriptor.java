package dev.bastion.core.resource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What a client sees of a resource in {@code resources/list}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceDescriptor(String uri, String name, String title, String description, String mimeType) {
    public ResourceDescriptor {
        requireNonNull(uri, "uri is null");
        requireNonNull(name, "name is null");
    }
}
