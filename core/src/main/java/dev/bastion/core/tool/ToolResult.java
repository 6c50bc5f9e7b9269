package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The result of a tool call. A tool's own failure (backend down, bad input the schema could not
 * catch, a denied call) is a result with {@code isError} set and a message the model can read;
 * JSON-RPC errors are only for protocol faults.
 *
 * @param content the content blocks
 * @param structuredContent the structured result matching the tool's {@code outputSchema}, or {@code null}
 * @param isError whether the call failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolResult(
        List<Content> content,
        JsonNode structuredContent,
        @JsonProperty("isError") boolean isError) {

    public ToolResult {
        content = List.copyOf(requireNonNull(content, "content is null"));
    }

    public static ToolResult text(String text) {
        return new ToolResult(List.of(Content.text(text)), null, false);
    }

    public static ToolResult of(Content... blocks) {
        return new ToolResult(List.of(blocks), null, false);
    }

    /**
     * A structured result; {@code text} is its serialized form for clients that read only content
     * blocks, as the MCP specification recommends.
     */
    public static ToolResult structured(JsonNode structured, String text) {
        return new ToolResult(List.of(Content.text(text)), structured, false);
    }

    /** A structured result whose text block is the same JSON, compact. */
    public static ToolResult structured(JsonNode structured) {
        return structured(structured, structured.toString());
    }

    public static ToolResult error(String message) {
        return new ToolResult(List.of(Content.text(message)), null, true);
    }

    /** The text of all text blocks, joined by newlines; handy for tests and logs. */
    @JsonIgnore
    public String allText() {
        StringBuilder out = new StringBuilder();
        for (Content block : content) {
            if (block instanceof Content.Text text) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(text.text());
            }
        }
        return out.toString();
    }
}
