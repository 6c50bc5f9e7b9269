package dev.bastion.core.tool;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Optional MCP annotations on a content block: who it is for and how important it is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContentAnnotations(List<String> audience, Double priority, String lastModified) {
}
