package dev.bastion.core.prompt;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.tool.Content;

/** One message of a rendered prompt: a role ({@code user} or {@code assistant}) and a content block. */
public record PromptMessage(String role, Content content) {
    public PromptMessage {
        requireNonNull(role, "role is null");
        requireNonNull(content, "content is null");
    }

    public static PromptMessage user(Content content) {
        return new PromptMessage("user", content);
    }
}
