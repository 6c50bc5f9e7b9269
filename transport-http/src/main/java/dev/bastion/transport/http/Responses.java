package dev.bastion.transport.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes whole responses. Every response ends with an explicit last write, never by completing the
 * handler's callback on an uncommitted response: in Jetty 12.1 that path lets the handler thread and
 * the write's completion both finish the exchange (jetty/jetty.project#14745), which corrupts the
 * next request on the same kept-alive connection ("last already written").
 */
final class Responses {

    private Responses() {
    }

    /**
     * An error answered before the request body was read. Jetty would then drop the rest of the
     * body and close the connection after the response, which a client may already be reusing;
     * saying {@code Connection: close} up front tells the client not to.
     */
    static void refuse(Request request, Response response, Callback callback, int status, int code, String message) {
        HttpFields headers = request.getHeaders();
        boolean hasBody = headers.contains(HttpHeader.TRANSFER_ENCODING)
                || headers.contains(HttpHeader.CONTENT_LENGTH) && request.getLength() > 0;
        if (hasBody && Request.getContentBytesRead(request) < Math.max(1, request.getLength())) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        error(response, callback, status, code, message);
    }

    /** A JSON-RPC error object with {@code id: null} and the given status. */
    static void error(Response response, Callback callback, int status, int code, String message) {
        json(response, callback, status, ErrorBodies.error(code, message));
    }

    static void json(Response response, Callback callback, int status, byte[] body) {
        write(response, callback, status, "application/json", body);
    }

    static void text(Response response, Callback callback, int status, String contentType, String body) {
        write(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body, such as 202 Accepted or 204 No Content. */
    static void empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        if (status != 204) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        }
        response.write(true, null, callback);
    }

    static void write(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
