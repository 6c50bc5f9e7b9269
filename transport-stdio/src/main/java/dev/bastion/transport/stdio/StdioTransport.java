package dev.bastion.transport.stdio;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.JsonRpcException;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpSession;
import dev.bastion.core.mcp.MessageSink;
import dev.bastion.core.mcp.Messages;
import dev.bastion.core.mcp.StatelessMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP over stdio: one UTF-8 JSON-RPC message per line in, one per line out. Only protocol messages
 * are written to the output stream; logging goes to stderr through SLF4J. On end of input the
 * transport lets in-flight calls finish within a grace period and returns.
 */
public final class StdioTransport {

    private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

    private final McpEngine engine;
    private final int maxLineBytes;
    private final Duration shutdownGrace;
    /** The stateless (2026-07-28) requests in progress, by their JSON-RPC id. */
    private final Map<String, McpSession> statelessRequests = new ConcurrentHashMap<>();
    /** The ids of those that are subscriptions/listen streams. */
    private final java.util.Set<String> listening = ConcurrentHashMap.newKeySet();

    /**
     * @param maxLineBytes longer lines are answered with an error and skipped
     * @param shutdownGrace how long in-flight calls may run after stdin closes
     */
    public StdioTransport(McpEngine engine, int maxLineBytes, Duration shutdownGrace) {
        this.engine = requireNonNull(engine, "engine is null");
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024");
        }
        this.maxLineBytes = maxLineBytes;
        this.shutdownGrace = requireNonNull(shutdownGrace, "shutdownGrace is null");
    }

    /**
     * Serves until {@code in} ends. Returns normally; the caller exits with status 0.
     */
    public void serve(InputStream in, OutputStream out) throws InterruptedException {
        LineWriter writer = new LineWriter(out, engine.json());
        McpSession session = engine.openSession(null, Principal.local(), writer);
        try {
            LineReader reader = new LineReader(in, maxLineBytes);
            while (true) {
                LineReader.Line line;
                try {
                    line = reader.next();
                } catch (IOException e) {
                    LOG.warn("stdin could not be read; stopping: {}", e.getMessage());
                    break;
                }
                if (line == null) {
                    break;
                }
                if (line.overLimit()) {
                    writer.send(Messages.error(null, JsonRpcException.INVALID_REQUEST, "Invalid Request: the message is "
                            + line.length() + " bytes, over the limit of " + maxLineBytes + " bytes per line", null));
                    continue;
                }
                if (line.blank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = engine.parse(line.bytes());
                } catch (JsonRpcException e) {
                    // The session answers it as before (-32700, redacted).
                    session.handleRaw(line.bytes(), writer);
                    continue;
                }
                if (!session.initialized() && cancelsStateless(message)) {
                    continue;
                } else if (!session.initialized() && StatelessMeta.declaredIn(message)) {
                    stateless(message, line.bytes().length, writer);
                } else {
                    session.handle(message, writer, line.bytes().length);
                }
            }
            // A listen stream lasts until its client goes: stdin closing is that.
            listening.forEach(id -> {
                McpSession listener = statelessRequests.remove(id);
                if (listener != null) {
                    listener.close();
                }
            });
            if (!session.awaitIdle(shutdownGrace) | !awaitStateless(shutdownGrace)) {
                LOG.warn("stdin closed; {} call(s) still running after {} s are cancelled",
                        session.inFlightCount() + statelessRequests.size(), shutdownGrace.toSeconds());
            }
        } finally {
            statelessRequests.values().forEach(McpSession::close);
            session.close();
            writer.flush();
        }
    }

    /**
     * A request of protocol 2026-07-28, which has no {@code initialize}: its own stateless session,
     * answered on stdout like any other. Until a client sends {@code initialize}, which selects the
     * session protocol for the rest of the process, each request with a version in its
     * {@code _meta} is served this way.
     */
    private void stateless(JsonNode message, long bytes, LineWriter writer) {
        McpSession request = engine.openStatelessRequest(Principal.local());
        String id = message.path("id").toString();
        if (message.has("id") && statelessRequests.putIfAbsent(id, request) != null) {
            request.close();
            writer.send(Messages.error(message.get("id"), JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: a request with this id is already in progress", null));
            return;
        }
        if ("subscriptions/listen".equals(message.path("method").asText())) {
            listening.add(id);
        }
        request.handle(message, writer, bytes).whenComplete((ignored, failure) -> {
            statelessRequests.remove(id, request);
            listening.remove(id);
            request.close();
        });
    }

    /** A {@code notifications/cancelled} for a stateless request in progress: that request is cancelled. */
    private boolean cancelsStateless(JsonNode message) {
        if (!"notifications/cancelled".equals(message.path("method").asText()) || message.has("id")) {
            return false;
        }
        McpSession cancelled = statelessRequests.remove(message.path("params").path("requestId").toString());
        if (cancelled == null) {
            return false;
        }
        cancelled.close();
        return true;
    }

    private boolean awaitStateless(Duration grace) throws InterruptedException {
        long end = System.nanoTime() + grace.toNanos();
        while (!statelessRequests.isEmpty()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Writes whole lines, one message each, never interleaved. */
    static final class LineWriter implements MessageSink {
        private final OutputStream out;
        private final ObjectMapper json;

        LineWriter(OutputStream out, ObjectMapper json) {
            this.out = out;
            this.json = json;
        }

        @Override
        public void send(JsonNode message) {
            try {
                byte[] bytes = json.writeValueAsBytes(message);
                synchronized (this) {
                    out.write(bytes);
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("stdout could not be written", e);
            }
        }

        synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                LOG.debug("stdout flush failed: {}", e.getMessage());
            }
        }
    }

    /**
     * Reads newline-terminated lines as bytes, without holding more than {@code limit} bytes of an
     * over-long line in memory.
     */
    static final class LineReader {
        record Line(byte[] bytes, long length, boolean overLimit) {
            boolean blank() {
                for (byte b : bytes) {
                    if (b != ' ' && b != '\t' && b != '\r') {
                        return false;
                    }
                }
                return true;
            }
        }

        private final InputStream in;
        private final int limit;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int filled;

        LineReader(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        Line next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long length = 0;
            boolean sawAny = false;
            while (true) {
                if (position == filled) {
                    filled = in.read(buffer);
                    position = 0;
                    if (filled <= 0) {
                        filled = 0;
                        return sawAny ? finish(line, length) : null;
                    }
                }
                sawAny = true;
                int start = position;
                while (position < filled && buffer[position] != '\n') {
                    position++;
                }
                int count = position - start;
                length += count;
                if (length <= limit) {
                    line.write(buffer, start, count);
                }
                if (position < filled) {
                    position++;
                    return finish(line, length);
                }
            }
        }

        private Line finish(ByteArrayOutputStream line, long length) {
            boolean over = length > limit;
            return new Line(over ? new byte[0] : line.toByteArray(), length, over);
        }
    }
}
