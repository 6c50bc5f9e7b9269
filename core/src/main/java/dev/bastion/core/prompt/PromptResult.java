package dev.bastion.core.prompt;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The result of {@code prompts/get}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptResult(String description, List<PromptMessage> messages) {
    public PromptResult {
        messages = List.copyOf(requireNonNull(messages, "messages is null"));
    }
}
