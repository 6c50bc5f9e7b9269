package dev.bastion.core.pipeline;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.tool.ToolDescriptor;

/**
 * Decides which tools a principal sees in {@code tools/list} (read-only mode, include and exclude
 * filters, scopes). The pipeline's gates refuse calls to hidden tools with a message saying why,
 * so listing and calling can never disagree.
 */
@FunctionalInterface
public interface ToolVisibility {

    ToolVisibility ALL = (tool, principal) -> true;

    boolean visible(ToolDescriptor tool, Principal principal);
}
