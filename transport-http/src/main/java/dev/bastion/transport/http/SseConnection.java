package dev.bastion.transport.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open {@code text/event-stream} response. Jetty allows one pending write per response, while
 * events arrive from several threads (the request's worker, progress from fan-out threads), so
 * writes are queued and issued one after the other without blocking the caller. When the client
 * goes away the connection is marked dead and its stream keeps buffering for a resumption.
 */
final class SseConnection {

    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final Response response;
    private final Callback done;
    private final Runnable onClose;
    private final boolean idleLimited;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closing;
    private boolean dead;
    /** When the last event (not a keep-alive comment) was written; for the GET streams' idle limit. */
    private volatile long lastEventNanos = System.nanoTime();

    /**
     * @param done the handler's callback, completed when the stream ends
     * @param onClose runs once when the stream ends, normally or not
     */
    SseConnection(Response response, Callback done, Runnable onClose) {
        this(response, done, onClose, false);
    }

    /**
     * @param idleLimited whether the streams' idle limit applies (streams opened by GET)
     */
    SseConnection(Response response, Callback done, Runnable onClose, boolean idleLimited) {
        this.response = response;
        this.done = done;
        this.onClose = onClose;
        this.idleLimited = idleLimited;
    }

    boolean idleLimited() {
        return idleLimited;
    }

    /** Writes one event; returns false when the connection is already dead. */
    boolean write(byte[] bytes) {
        lastEventNanos = System.nanoTime();
        return enqueue(ByteBuffer.wrap(bytes));
    }

    /** Writes an SSE comment, which does not count as an event for the idle limit. */
    boolean writeComment(String text) {
        return enqueue(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** How long ago the last event was written. */
    long idleNanos(long nowNanos) {
        return nowNanos - lastEventNanos;
    }

    /** Ends the stream after everything queued has been written. */
    void close() {
        enqueue(END);
    }

    synchronized boolean alive() {
        return !dead && !closing;
    }

    private boolean enqueue(ByteBuffer buffer) {
        ByteBuffer next;
        synchronized (this) {
            if (dead || closing) {
                return false;
            }
            if (buffer == END) {
                closing = true;
            }
            queue.add(buffer);
            if (writing) {
                return true;
            }
            writing = true;
            next = queue.poll();
        }
        issue(next);
        return true;
    }

    private void issue(ByteBuffer buffer) {
        boolean last = buffer == END;
        response.write(last, last ? null : buffer, new Callback() {
            @Override
            public void succeeded() {
                if (last) {
                    finish(null);
                    return;
                }
                ByteBuffer next;
                synchronized (SseConnection.this) {
                    next = queue.poll();
                    if (next == null) {
                        writing = false;
                        return;
                    }
                }
                issue(next);
            }

            @Override
            public void failed(Throwable failure) {
                finish(failure);
            }
        });
    }

    private void finish(Throwable failure) {
        synchronized (this) {
            if (dead) {
                return;
            }
            dead = true;
            queue.clear();
        }
        try {
            onClose.run();
        } finally {
            if (failure == null) {
                done.succeeded();
            } else {
                done.failed(failure);
            }
        }
    }

    /** Called when the client disconnected or the connection failed. */
    void abort(Throwable failure) {
        finish(failure);
    }
}
