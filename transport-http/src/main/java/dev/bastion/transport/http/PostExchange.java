package dev.bastion.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.JsonRpcException;
import dev.bastion.core.mcp.MessageSink;
import java.nio.ByteBuffer;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The response side of one POST. If the first message the engine sends for the request is its
 * response, the answer is plain {@code application/json}. If a notification or a server-to-client
 * request comes first (progress, log messages, elicitation), the answer switches to
 * {@code text/event-stream}: a priming event, then every message as an event with an id, and the
 * stream ends after the response. A POST that yields no message (notifications, client responses)
 * is answered 202 with no body.
 *
 * <p>A stateless (2026-07-28) exchange has no session: its stream is this response alone, with
 * neither a priming event nor replay, and an error answered before anything else gets the HTTP
 * status of its code ({@link StatelessPost#status}). If the client goes away before the response,
 * {@link #onClientGone} runs, which cancels the request.
 */
final class PostExchange implements MessageSink {

    private enum State { PENDING, STREAMING, DONE }

    private final ObjectMapper json;
    private final HttpSession session;
    private final Response response;
    private final Callback callback;
    private final boolean stateless;
    private State state = State.PENDING;
    private EventStream stream;
    private volatile Runnable onClientGone = () -> { };
    private Set<EventStream> openStreams;

    PostExchange(ObjectMapper json, HttpSession session, Response response, Callback callback) {
        this(json, session, response, callback, false);
    }

    private PostExchange(ObjectMapper json, HttpSession session, Response response, Callback callback,
                         boolean stateless) {
        this.json = json;
        this.session = session;
        this.response = response;
        this.callback = callback;
        this.stateless = stateless;
    }

    /**
     * The response side of a stateless POST; while its stream is open it is in {@code openStreams},
     * where the transport's timer keeps it alive (a {@code subscriptions/listen} stream can be quiet
     * for long).
     */
    static PostExchange stateless(ObjectMapper json, Response response, Callback callback,
                                  Set<EventStream> openStreams) {
        PostExchange exchange = new PostExchange(json, null, response, callback, true);
        exchange.openStreams = openStreams;
        return exchange;
    }

    /** Runs when the client closes its stream before the response was sent (stateless only). */
    void onClientGone(Runnable action) {
        this.onClientGone = action;
    }

    @Override
    public void send(JsonNode message) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            bytes = ErrorBodies.error(JsonRpcException.INTERNAL_ERROR, "Internal error: the message could not be "
                    + "serialized");
        }
        boolean isResponse = isResponse(message);
        synchronized (this) {
            switch (state) {
                case PENDING -> {
                    if (isResponse) {
                        state = State.DONE;
                        int status;
                        if (stateless) {
                            status = message.has("error")
                                    ? StatelessPost.status(message.path("error").path("code").asInt()) : 200;
                        } else {
                            status = message.isObject() && message.has("error") && message.path("id").isNull()
                                    ? 400 : 200;
                        }
                        writeJson(status, bytes);
                        return;
                    }
                    startStream();
                    stream.send(bytes);
                }
                case STREAMING -> {
                    stream.send(bytes);
                    if (isResponse) {
                        state = State.DONE;
                        stream.finish();
                    }
                }
                case DONE -> {
                    // A late message of a finished request (a log line after the result) goes where
                    // messages without a request go.
                    if (session != null) {
                        session.standalone().send(bytes);
                    }
                }
            }
        }
    }

    /** The engine finished the message: answer 202 if nothing was sent, end the stream if one is open. */
    synchronized void complete() {
        switch (state) {
            case PENDING -> {
                state = State.DONE;
                Responses.empty(response, callback, 202);
            }
            case STREAMING -> {
                state = State.DONE;
                stream.finish();
            }
            case DONE -> {
            }
        }
    }

    private void startStream() {
        state = State.STREAMING;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-transform");
        response.getHeaders().put("X-Accel-Buffering", "no");
        stream = stateless ? new EventStream(0, 0) : session.newStream();
        EventStream opened = stream;
        SseConnection[] holder = new SseConnection[1];
        holder[0] = new SseConnection(response, callback, () -> {
            opened.detach(holder[0]);
            if (openStreams != null) {
                openStreams.remove(opened);
            }
            if (stateless && !opened.finished()) {
                onClientGone.run();
            }
        });
        if (stateless) {
            stream.attach(holder[0]);
            if (openStreams != null) {
                openStreams.add(stream);
            }
        } else {
            stream.open(holder[0]);
        }
    }

    private void writeJson(int status, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static boolean isResponse(JsonNode message) {
        return message.isArray() || !message.has("method") && (message.has("result") || message.has("error"));
    }
}
