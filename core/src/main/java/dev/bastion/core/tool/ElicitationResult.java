package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The user's answer to an elicitation.
 *
 * @param action accept, decline or cancel
 * @param content the submitted values on accept, else {@code null}
 */
public record ElicitationResult(Action action, ObjectNode content) {

    public enum Action { ACCEPT, DECLINE, CANCEL }

    public ElicitationResult {
        requireNonNull(action, "action is null");
    }

    public boolean accepted() {
        return action == Action.ACCEPT;
    }
}
