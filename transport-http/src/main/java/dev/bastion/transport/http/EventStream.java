package dev.bastion.transport.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One SSE stream of a session: a POST's response stream or the standalone GET stream. Every event
 * gets an id {@code <stream>-<sequence>} and is kept in a bounded replay buffer, so a client that
 * lost the connection can reconnect with {@code Last-Event-ID} and receive what it missed, and,
 * for a request still running, the rest of the stream.
 */
final class EventStream {

    private record Event(long sequence, byte[] frame) {
    }

    private final long number;
    private final int replayLimit;
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private long sequence;
    private SseConnection connection;
    private boolean finished;

    EventStream(long number, int replayLimit) {
        this.number = number;
        this.replayLimit = replayLimit;
    }

    long number() {
        return number;
    }

    /** The retry hint (ms) sent with the priming event. */
    static final int RETRY_MILLIS = 1000;

    /** Attaches a fresh connection and sends the priming event (an id with empty data). */
    synchronized void open(SseConnection fresh) {
        if (connection != null) {
            connection.close();
        }
        this.connection = fresh;
        long id = ++sequence;
        byte[] frame = ("id: " + number + "-" + id + "\nretry: " + RETRY_MILLIS + "\ndata: \n\n")
                .getBytes(StandardCharsets.UTF_8);
        remember(id, frame);
        fresh.write(frame);
    }

    /**
     * Attaches the connection of a stream that cannot be resumed (a stateless request's): no
     * priming event, since no client will reconnect with {@code Last-Event-ID}.
     */
    synchronized void attach(SseConnection fresh) {
        this.connection = fresh;
    }

    /** Sends one JSON message as an event; buffered for replay whether or not a client listens. */
    synchronized void send(byte[] json) {
        long id = ++sequence;
        byte[] head = ("id: " + number + "-" + id + "\nevent: message\ndata: ").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(json, 0, frame, head.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        remember(id, frame);
        if (connection != null && !connection.write(frame)) {
            connection = null;
        }
    }

    private void remember(long id, byte[] frame) {
        if (replayLimit == 0) {
            return;
        }
        replay.add(new Event(id, frame));
        while (replay.size() > replayLimit) {
            replay.poll();
        }
    }

    /** The request's response went out: end the stream once written. */
    synchronized void finish() {
        finished = true;
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    synchronized boolean finished() {
        return finished;
    }

    /**
     * Resumes on {@code fresh} after event {@code afterSequence}: replays the buffered events that
     * followed it, then either ends (the stream is finished) or stays attached. A previous
     * connection is closed: a stream is delivered on one connection at a time.
     *
     * @return false when the events after {@code afterSequence} are no longer buffered
     */
    synchronized boolean resume(SseConnection fresh, long afterSequence) {
        if (!canResume(afterSequence)) {
            return false;
        }
        if (connection != null) {
            connection.close();
        }
        for (Event event : replay) {
            if (event.sequence() > afterSequence) {
                fresh.write(event.frame());
            }
        }
        if (finished) {
            fresh.close();
            connection = null;
        } else {
            connection = fresh;
        }
        return true;
    }

    /** Whether every event after {@code afterSequence} is still buffered. */
    synchronized boolean canResume(long afterSequence) {
        Event oldest = replay.peek();
        return afterSequence >= 0 && afterSequence <= sequence
                && (afterSequence == sequence || oldest != null && oldest.sequence() <= afterSequence + 1);
    }

    /** Detaches {@code gone} if it is the current connection. */
    synchronized void detach(SseConnection gone) {
        if (connection == gone) {
            connection = null;
        }
    }

    /** Writes an SSE comment so idle proxies and the server's idle timeout keep the stream open. */
    synchronized void keepAlive() {
        if (connection != null && !connection.writeComment(": keep-alive\n\n")) {
            connection = null;
        }
    }

    /**
     * Ends the current connection if it was opened by a GET and has carried no event for
     * {@code limitNanos}; the client may resume with {@code Last-Event-ID}. A POST's response stream
     * is left alone: it ends with its request.
     *
     * @return whether a connection was ended
     */
    synchronized boolean endIfIdle(long nowNanos, long limitNanos) {
        if (connection != null && connection.idleLimited() && connection.idleNanos(nowNanos) > limitNanos) {
            connection.close();
            connection = null;
            return true;
        }
        return false;
    }

    synchronized boolean attached() {
        return connection != null;
    }

    synchronized void close() {
        finished = true;
        if (connection != null) {
            connection.close();
            connection = null;
        }
        replay.clear();
    }
}
