package dev.bastion.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Requests the server sends to the client during a call. Each is made only when the client
 * declared the matching capability, and each waits at most until the call's deadline.
 */
public interface ClientRequests {

    boolean supportsElicitation();

    boolean supportsSampling();

    boolean supportsRoots();

    /**
     * Asks the user a question ({@code elicitation/create}, form mode).
     *
     * @param message what to ask, shown to the user
     * @param requestedSchema a flat object schema of primitive properties
     */
    ElicitationResult elicit(String message, ObjectNode requestedSchema) throws ClientRequestException, InterruptedException;

    /** Asks the client's model for a completion ({@code sampling/createMessage}); returns the raw result. */
    JsonNode createMessage(ObjectNode params) throws ClientRequestException, InterruptedException;

    /** Asks the client for its roots ({@code roots/list}); returns the raw result. */
    JsonNode listRoots() throws ClientRequestException, InterruptedException;

    /** A client that declared no capabilities: every request fails with a clear message. */
    ClientRequests NONE = new ClientRequests() {
        @Override
        public boolean supportsElicitation() {
            return false;
        }

        @Override
        public boolean supportsSampling() {
            return false;
        }

        @Override
        public boolean supportsRoots() {
            return false;
        }

        @Override
        public ElicitationResult elicit(String message, ObjectNode requestedSchema) throws ClientRequestException {
            throw new ClientRequestException("the client declared no elicitation capability");
        }

        @Override
        public JsonNode createMessage(ObjectNode params) throws ClientRequestException {
            throw new ClientRequestException("the client declared no sampling capability");
        }

        @Override
        public JsonNode listRoots() throws ClientRequestException {
            throw new ClientRequestException("the client declared no roots capability");
        }
    };
}
