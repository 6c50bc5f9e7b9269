package dev.bastion.core.prompt;

import dev.bastion.core.tool.CallContext;
import java.util.List;
import java.util.Map;

/** A prompt template a provider serves. */
public interface Prompt {

    PromptDescriptor descriptor();

    /**
     * Renders the prompt. The engine has already checked that every required argument is present;
     * an argument value the prompt cannot use is an {@link IllegalArgumentException}, reported to the
     * client as invalid params.
     */
    PromptResult get(Map<String, String> arguments, CallContext context) throws Exception;

    /** Completion values for argument {@code argument} starting from {@code prefix}. */
    default List<String> complete(String argument, String prefix, Map<String, String> context) {
        return List.of();
    }
}
