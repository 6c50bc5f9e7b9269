package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/** Where an endpoint family declares its endpoints, by method and path below {@code /e/{environment}/api/}. */
interface ApiRoutes {

    /** Answers one call with the JSON body of a success; throws {@code SandboxError} for the API's errors. */
    @FunctionalInterface
    interface Endpoint {
        JsonNode answer(ApiCall call);
    }

    /** A GET answered 200. */
    ApiRoutes get(String path, Endpoint endpoint);

    /** A POST answered with {@code status} (201 where the API creates something). */
    ApiRoutes post(String path, int status, Endpoint endpoint);
}
