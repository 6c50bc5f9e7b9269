package dev.bastion.transport.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises itself (malformed requests, header limits, failures outside our handler)
 * answered like ours: a JSON-RPC error object with a fixed message for the status, never Jetty's
 * HTML page, an exception message or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object attribute = request.getAttribute(ERROR_STATUS);
        int status = attribute instanceof Integer code ? code : response.getStatus();
        if (status < 400) {
            status = 500;
        }
        Responses.json(response, callback, status, ErrorBodies.error(ErrorBodies.codeFor(status),
                ErrorBodies.messageFor(status)));
        return true;
    }

}
