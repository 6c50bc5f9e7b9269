package dev.bastion.security.limits;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ToolResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts results larger than {@code max_result_bytes} (measured as the serialized JSON of content
 * and structuredContent) and says so: the cut result ends with a text block such as
 * {@code [truncated: result was 1048576 bytes, limit 262144; narrow the query (smaller limit,
 * shorter time range, fields)]}. Never silently.
 *
 * <p>Content blocks are kept in order while they fit; the first text block that does not fit is cut
 * at a UTF-8 character boundary, and later blocks are left out (the marker counts them).
 * structuredContent is kept when it fits on its own and is dropped otherwise (the marker says so).
 * A dropped structuredContent of a tool that declares an {@code outputSchema} marks the result as
 * an error, because MCP clients reject a successful result of such a tool without it.
 */
public final class ResultSizeInterceptor implements ToolCallInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ResultSizeInterceptor.class);

    /** Room for the marker block and the result's envelope ({@code content}, {@code isError}). */
    static final int RESERVE = 512;

    private final ObjectMapper json;
    private final int maxResultBytes;

    public ResultSizeInterceptor(ObjectMapper json, int maxResultBytes) {
        this.json = requireNonNull(json, "json is null");
        if (maxResultBytes < LimitsConfig.MIN_RESULT_BYTES) {
            throw new IllegalArgumentException("maxResultBytes must be at least " + LimitsConfig.MIN_RESULT_BYTES);
        }
        this.maxResultBytes = maxResultBytes;
    }

    public ResultSizeInterceptor(ObjectMapper json, LimitsConfig config) {
        this(json, config.maxResultBytes());
    }

    @Override
    public Stage stage() {
        return Stage.RESULT_SIZE;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        ToolResult result = chain.proceed(call);
        if (result == null) {
            return null;
        }
        int size = size(result);
        if (size <= maxResultBytes) {
            call.decision().resultMeasured(result, size);
            return result;
        }
        LOG.info("cutting the result of tool {} from {} to at most {} bytes", call.tool().name(), size, maxResultBytes);
        return cut(result, size, call.tool().outputSchema() != null);
    }

    ToolResult cut(ToolResult result, int size, boolean hasOutputSchema) throws IOException {
        JsonNode structured = result.structuredContent();
        int structuredSize = structured == null ? 0 : json.writeValueAsBytes(structured).length;
        boolean dropStructured = structured != null && structuredSize + RESERVE > maxResultBytes;
        int budget = maxResultBytes - RESERVE - (dropStructured ? 0 : structuredSize);

        List<Content> kept = new ArrayList<>();
        int used = 0;
        int omitted = 0;
        boolean full = false;
        for (Content block : result.content()) {
            if (full) {
                omitted++;
                continue;
            }
            int blockSize = json.writeValueAsBytes(block).length + 1;
            if (used + blockSize <= budget) {
                kept.add(block);
                used += blockSize;
                continue;
            }
            full = true;
            Content.Text shortened = block instanceof Content.Text text ? shorten(text, budget - used) : null;
            if (shortened == null) {
                omitted++;
            } else {
                kept.add(shortened);
                used += json.writeValueAsBytes(shortened).length + 1;
            }
        }
        StringBuilder marker = new StringBuilder("[truncated: result was ").append(size).append(" bytes, limit ")
                .append(maxResultBytes).append("; narrow the query (smaller limit, shorter time range, fields)");
        if (dropStructured) {
            marker.append("; structuredContent (").append(structuredSize)
                    .append(" bytes) was left out because it alone exceeds the limit");
        }
        if (omitted > 0) {
            marker.append("; ").append(omitted).append(omitted == 1 ? " content block was" : " content blocks were")
                    .append(" left out");
        }
        marker.append(']');
        kept.add(Content.text(marker.toString()));
        boolean isError = result.isError() || dropStructured && hasOutputSchema;
        ToolResult shortened = new ToolResult(kept, dropStructured ? null : structured, isError);
        if (size(shortened) > maxResultBytes) {
            // Only reachable with pathological annotations; the marker alone always fits.
            return new ToolResult(List.of(Content.text(marker.toString())), null, result.isError() || hasOutputSchema);
        }
        return shortened;
    }

    /**
     * The longest prefix of {@code text} whose block serializes into {@code room} bytes, or null.
     * JSON escaping makes the serialized size differ from the UTF-8 length (control characters,
     * and Jackson writes characters outside the BMP as escaped surrogate pairs), so the cut point is
     * found by binary search on the serialized size. A cut never splits a surrogate pair.
     */
    private Content.Text shorten(Content.Text text, int room) throws JsonProcessingException {
        String full = text.text();
        int low = 0;
        int high = Math.min(full.length(), Math.max(0, room));
        Content.Text best = null;
        while (low <= high) {
            int probe = (low + high) >>> 1;
            Content.Text candidate = new Content.Text(full.substring(0, safeCut(full, probe)), text.annotations());
            if (json.writeValueAsBytes(candidate).length + 1 <= room) {
                best = candidate;
                low = probe + 1;
            } else {
                high = probe - 1;
            }
        }
        return best == null || best.text().isEmpty() ? null : best;
    }

    /** {@code index}, moved back by one when it would split a surrogate pair. */
    static int safeCut(String text, int index) {
        if (index > 0 && index < text.length() && Character.isHighSurrogate(text.charAt(index - 1))
                && Character.isLowSurrogate(text.charAt(index))) {
            return index - 1;
        }
        return index;
    }

    private int size(ToolResult result) throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, SerializedSize.of(json, result));
    }
}
