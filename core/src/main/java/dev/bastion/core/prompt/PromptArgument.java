package dev.bastion.core.prompt;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One argument of a prompt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptArgument(String name, String title, String description, boolean required) {
    public PromptArgument {
        requireNonNull(name, "name is null");
    }
}
