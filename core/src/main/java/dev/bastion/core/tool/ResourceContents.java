package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The contents of a resource, as text or as base64 binary. */
public sealed interface ResourceContents permits ResourceContents.Text, ResourceContents.Blob {

    String uri();

    String mimeType();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Text(String uri, String mimeType, String text) implements ResourceContents {
        public Text {
            requireNonNull(uri, "uri is null");
            requireNonNull(text, "text is null");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Blob(String uri, String mimeType, String blob) implements ResourceContents {
        public Blob {
            requireNonNull(uri, "uri is null");
            requireNonNull(blob, "blob is null");
        }
    }
}
