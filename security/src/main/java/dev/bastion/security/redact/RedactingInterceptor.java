package dev.bastion.security.redact;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ResourceContents;
import dev.bastion.core.tool.ToolResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Redacts secrets from a tool's result: its text blocks and its {@code structuredContent}. A
 * backend that echoes a token, a log line with a password in it, or a configuration dump never
 * reaches the model with the secret in place. Embedded text resources are redacted too; binary
 * blocks (images, audio) and resource links are passed through.
 */
public final class RedactingInterceptor implements ToolCallInterceptor {

    private final Redactor redactor;
    private final boolean enabled;

    public RedactingInterceptor(Redactor redactor, RedactionConfig config) {
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.enabled = requireNonNull(config, "config is null").redactToolOutput();
    }

    public RedactingInterceptor(Redactor redactor) {
        this(redactor, RedactionConfig.DEFAULTS);
    }

    @Override
    public Stage stage() {
        return Stage.REDACT;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        ToolResult result = chain.proceed(call);
        if (!enabled || result == null) {
            return result;
        }
        return redact(result);
    }

    /** Returns {@code result} with its text and structured content redacted. */
    public ToolResult redact(ToolResult result) {
        List<Content> blocks = new ArrayList<>(result.content().size());
        for (Content block : result.content()) {
            if (block instanceof Content.Text text) {
                blocks.add(new Content.Text(redactor.redact(text.text()), text.annotations()));
            } else if (block instanceof Content.EmbeddedResource embedded
                    && embedded.resource() instanceof ResourceContents.Text resource) {
                blocks.add(new Content.EmbeddedResource(new ResourceContents.Text(resource.uri(), resource.mimeType(),
                        redactor.redact(resource.text())), embedded.annotations()));
            } else {
                blocks.add(block);
            }
        }
        JsonNode structured = SecretRedactor.redactTree(redactor, result.structuredContent());
        return new ToolResult(blocks, structured, result.isError());
    }
}
