package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One MCP content block of a tool result or prompt message. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Content.Text.class, name = "text"),
    @JsonSubTypes.Type(value = Content.Image.class, name = "image"),
    @JsonSubTypes.Type(value = Content.Audio.class, name = "audio"),
    @JsonSubTypes.Type(value = Content.ResourceLink.class, name = "resource_link"),
    @JsonSubTypes.Type(value = Content.EmbeddedResource.class, name = "resource")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Content
        permits Content.Text, Content.Image, Content.Audio, Content.ResourceLink, Content.EmbeddedResource {

    static Text text(String text) {
        return new Text(text, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Text(String text, ContentAnnotations annotations) implements Content {
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /** @param data base64-encoded image bytes */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Image(String data, String mimeType, ContentAnnotations annotations) implements Content {
        public Image {
            requireNonNull(data, "data is null");
            requireNonNull(mimeType, "mimeType is null");
        }
    }

    /** @param data base64-encoded audio bytes */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Audio(String data, String mimeType, ContentAnnotations annotations) implements Content {
        public Audio {
            requireNonNull(data, "data is null");
            requireNonNull(mimeType, "mimeType is null");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResourceLink(String uri, String name, String title, String description, String mimeType,
                        ContentAnnotations annotations) implements Content {
        public ResourceLink {
            requireNonNull(uri, "uri is null");
            requireNonNull(name, "name is null");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbeddedResource(ResourceContents resource, ContentAnnotations annotations) implements Content {
        public EmbeddedResource {
            requireNonNull(resource, "resource is null");
        }
    }
}
