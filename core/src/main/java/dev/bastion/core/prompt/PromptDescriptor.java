package dev.bastion.core.prompt;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What a client sees of a prompt in {@code prompts/list}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptDescriptor(String name, String title, String description, List<PromptArgument> arguments) {
    public PromptDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
    }
}
