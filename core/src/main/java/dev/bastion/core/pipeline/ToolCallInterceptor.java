package dev.bastion.core.pipeline;

import dev.bastion.core.tool.ToolResult;

/**
 * One step of the tools/call pipeline. It observes, modifies or short-circuits: to deny a call it
 * returns {@link ToolCall#deny(String, String)} instead of calling {@link Chain#proceed}.
 */
public interface ToolCallInterceptor {

    /** Where this step sits in the fixed order. */
    Stage stage();

    ToolResult intercept(ToolCall call, Chain chain) throws Exception;

    /** The rest of the pipeline after this step. */
    interface Chain {
        ToolResult proceed(ToolCall call) throws Exception;
    }
}
