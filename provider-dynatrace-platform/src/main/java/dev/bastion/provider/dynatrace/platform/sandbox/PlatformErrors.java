package dev.bastion.provider.dynatrace.platform.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxResponse;

/**
 * The platform's error body, {@code {"error":{"code":403,"message":"...","details":{...}}}}, for every
 * error the sandbox answers. A 400 about one parameter carries {@code details.constraintViolations}
 * naming it; a missing scope carries {@code details.missingScopes}.
 */
final class PlatformErrors {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The message start of a 403 for a missing scope, as the platform words it. */
    static final String MISSING_SCOPE = "Token is missing required scope. Use one of: ";

    private PlatformErrors() {
    }

    /** The {@link dev.bastion.toolkit.sandbox.ErrorShape} of the sandbox server. */
    static SandboxResponse render(SandboxError error) {
        ObjectNode details = NODES.objectNode();
        String message = error.getMessage();
        if (error.parameter().isPresent()) {
            ArrayNode violations = details.putArray("constraintViolations");
            ObjectNode violation = violations.addObject();
            violation.put("path", error.parameter().get());
            violation.put("message", message);
            violation.put("parameterLocation", error.location().map(Enum::name).orElse("BODY"));
            message = "Constraints violated.";
        }
        if (error.status() == 403 && message.startsWith(MISSING_SCOPE)) {
            ArrayNode missing = details.putArray("missingScopes");
            for (String scope : message.substring(MISSING_SCOPE.length()).split(",\\s*")) {
                missing.add(scope.trim());
            }
        }
        return response(error.status(), message, details);
    }

    /** An error body with the given details (left out when empty). */
    static SandboxResponse response(int status, String message, ObjectNode details) {
        ObjectNode body = NODES.objectNode();
        ObjectNode inner = body.putObject("error");
        inner.put("code", status);
        inner.put("message", message);
        if (details != null && !details.isEmpty()) {
            inner.set("details", details);
        }
        return SandboxResponse.json(status, body);
    }

    static SandboxError missingScope(String... anyOf) {
        return SandboxError.of(403, MISSING_SCOPE + String.join(", ", anyOf));
    }

    static SandboxError badBody(String parameter, String message) {
        return SandboxError.badParameter(SandboxError.Location.BODY, parameter, message);
    }

    static SandboxError badQuery(String parameter, String message) {
        return SandboxError.badParameter(SandboxError.Location.QUERY, parameter, message);
    }
}
