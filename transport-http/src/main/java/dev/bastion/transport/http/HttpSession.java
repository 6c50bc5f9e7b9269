package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.mcp.McpSession;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MCP session over HTTP: the engine's session, the principal it is bound to, when it was last
 * used, and its SSE streams (the standalone stream is number 0; each POST that streams gets the
 * next number). Only the most recent streams are kept for resumption, so a session's memory is
 * bounded however long it lives.
 */
final class HttpSession {

    static final long STANDALONE = 0;
    private static final int KEPT_STREAMS = 16;

    private final String id;
    private final String principalName;
    private final int replayEvents;
    private final AtomicLong streamNumbers = new AtomicLong();
    private final Map<Long, EventStream> streams = new LinkedHashMap<>();
    private volatile McpSession mcp;
    private volatile long lastUsedNanos;

    HttpSession(String id, String principalName, int replayEvents, long nowNanos) {
        this.id = requireNonNull(id, "id is null");
        this.principalName = requireNonNull(principalName, "principalName is null");
        this.replayEvents = replayEvents;
        this.lastUsedNanos = nowNanos;
    }

    String id() {
        return id;
    }

    String principalName() {
        return principalName;
    }

    McpSession mcp() {
        return mcp;
    }

    void attach(McpSession session) {
        this.mcp = session;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void touch(long nowNanos) {
        this.lastUsedNanos = nowNanos;
    }

    /** The standalone stream (created on first use). */
    synchronized EventStream standalone() {
        return streams.computeIfAbsent(STANDALONE, number -> new EventStream(number, replayEvents));
    }

    /** A new stream for one POST's response. */
    synchronized EventStream newStream() {
        long number = streamNumbers.incrementAndGet();
        EventStream stream = new EventStream(number, replayEvents);
        streams.put(number, stream);
        if (streams.size() > KEPT_STREAMS + 1) {
            Iterator<Map.Entry<Long, EventStream>> oldest = streams.entrySet().iterator();
            while (streams.size() > KEPT_STREAMS + 1 && oldest.hasNext()) {
                Map.Entry<Long, EventStream> entry = oldest.next();
                if (entry.getKey() != STANDALONE && entry.getValue().finished()) {
                    oldest.remove();
                }
            }
        }
        return stream;
    }

    synchronized EventStream stream(long number) {
        return streams.get(number);
    }

    synchronized List<EventStream> streams() {
        return new ArrayList<>(streams.values());
    }

    /** Ends the engine session and every stream. */
    void close() {
        McpSession session = mcp;
        if (session != null) {
            session.close();
        }
        for (EventStream stream : streams()) {
            stream.close();
        }
    }
}
