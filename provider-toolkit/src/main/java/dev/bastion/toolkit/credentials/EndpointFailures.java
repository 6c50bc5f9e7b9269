package dev.bastion.toolkit.credentials;

import dev.bastion.security.outbound.BackendErrors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;

/** Words for a token or login endpoint that could not be reached. */
final class EndpointFailures {

    private EndpointFailures() {
    }

    /**
     * What went wrong reaching {@code endpoint}. A read timeout gets its own words: the advice
     * {@link BackendErrors#describe} gives for a slow backend ("narrow the request") does not fit a
     * token request.
     */
    static String describe(IOException failure, String endpoint) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof InterruptedIOException && !message.contains("connect")
                && !message.contains("interrupted")) {
            return endpoint + " did not answer in time (timeout)";
        }
        return BackendErrors.describe(failure, endpoint);
    }
}
