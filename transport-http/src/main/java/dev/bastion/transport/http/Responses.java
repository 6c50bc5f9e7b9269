package dev.bastion.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Writes whole responses. Every response ends with an explicit last write, never by completing the
 * handler's callback on an uncommitted response: in Jetty 12.1 that path lets the handler thread and
 * the write's completion both finish the exchange (jetty/jetty.project#14745), which corrupts the
 * next request on the same kept-alive connection ("last already written").
 */
final class Responses {

    private Responses() {
    }

    /** The most of an unread body a refusal reads and throws away so the client sees its answer. */
    static final long DISCARD_LIMIT_BYTES = 4L * 1024 * 1024;
    /** The longest a refusal waits for the rest of the body before it closes the connection anyway. */
    static final Duration DISCARD_TIME = Duration.ofSeconds(2);

    /**
     * An error answered before the request body was (wholly) read: any refusal before the body is
     * read, and a body over the cap. The response says {@code Connection: close}, so the client does
     * not reuse the connection. Closing a socket with unread bytes makes the kernel answer with a
     * reset, which fails a client still sending its body (most clients send all of it before they
     * read) and can destroy the answer before it is read. So the rest of the body is first read and
     * discarded, at most {@link #DISCARD_LIMIT_BYTES} for at most {@link #DISCARD_TIME}; then the
     * answer is written and the connection closes, with nothing left unread when the body was within
     * the bounds.
     */
    static void refuse(Request request, Response response, Callback callback, int status, int code, String message) {
        if (!bodyMayRemain(request)) {
            error(response, callback, status, code, message);
            return;
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        new BodyDiscard(request, () -> error(response, callback, status, code, message)).start();
    }

    private static boolean bodyMayRemain(Request request) {
        HttpFields headers = request.getHeaders();
        if (Request.getContentBytesRead(request) == 0 && headers.contains(HttpHeader.EXPECT, "100-continue")) {
            // The client waits for 100 Continue before it sends the body; reading would ask for it.
            return false;
        }
        if (headers.contains(HttpHeader.TRANSFER_ENCODING)) {
            return true;
        }
        return headers.contains(HttpHeader.CONTENT_LENGTH) && request.getLength() > 0
                && Request.getContentBytesRead(request) < request.getLength();
    }

    /**
     * Reads and drops the rest of a refused request's body, then answers. It stops at the end of the
     * body, at a read failure, at the byte limit, or when the time is up. Reading and finishing are
     * serialised, so the timer never answers while a read is under way.
     */
    private static final class BodyDiscard implements Runnable {
        private final Request request;
        private final Runnable answer;
        private boolean finished;
        private long discarded;
        private Scheduler.Task timer;

        BodyDiscard(Request request, Runnable answer) {
            this.request = request;
            this.answer = answer;
        }

        synchronized void start() {
            timer = request.getComponents().getScheduler().schedule(this::finish,
                    DISCARD_TIME.toMillis(), TimeUnit.MILLISECONDS);
            run();
        }

        @Override
        public synchronized void run() {
            while (!finished) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
                discarded += chunk.remaining();
                chunk.release();
                if (end || discarded >= DISCARD_LIMIT_BYTES) {
                    finish();
                    return;
                }
            }
        }

        private synchronized void finish() {
            if (!finished) {
                finished = true;
                if (timer != null) {
                    timer.cancel();
                }
                answer.run();
            }
        }
    }

    /** A JSON-RPC error object with {@code id: null} and the given status. */
    static void error(Response response, Callback callback, int status, int code, String message) {
        json(response, callback, status, ErrorBodies.error(code, message));
    }

    /**
     * A JSON-RPC error object answering the request whose message was read: its {@code id} when it
     * has a usable one (a string or a number), else {@code null}.
     */
    static void error(Response response, Callback callback, int status, JsonNode request, int code, String message) {
        json(response, callback, status, ErrorBodies.error(idOf(request), code, message));
    }

    static JsonNode idOf(JsonNode request) {
        JsonNode id = request == null || !request.isObject() ? null : request.get("id");
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
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
