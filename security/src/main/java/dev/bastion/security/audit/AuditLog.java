package dev.bastion.security.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.path.OutputFiles;
import dev.bastion.security.redact.SecretRedactor;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON line per tools/call, denied calls included. Every string field is
 * redacted before it is written, and arguments appear only as the SHA-256 of their redacted
 * canonical JSON, so the trail proves what was called without becoming a second copy of the
 * secrets. Thread-safe; each record is one line, flushed before {@link #write} returns.
 */
public final class AuditLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Writer out;
    private final boolean closeOut;
    private final Redactor redactor;
    /** Shared: a mapper is thread-safe once configured, and building one per call cost more than the rest of the record. */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Object lock = new Object();
    /** Lines not yet written, in the order their records arrived. */
    private final Queue<String> queued = new ConcurrentLinkedQueue<>();
    private boolean failureReported;

    /**
     * Writes to {@code out}, which the caller owns and this log does not close.
     *
     * @param out where records go, typically a writer on standard error
     */
    public AuditLog(Writer out, Redactor redactor) {
        this(out, false, redactor);
    }

    /** Writes to {@code out} (typically {@code System.err}, passed in by the app), which this log does not close. */
    public AuditLog(PrintStream out, Redactor redactor) {
        this(new OutputStreamWriter(requireNonNull(out, "out is null"), StandardCharsets.UTF_8), false, redactor);
    }

    private AuditLog(Writer out, boolean closeOut, Redactor redactor) {
        this.out = requireNonNull(out, "out is null");
        this.closeOut = closeOut;
        this.redactor = requireNonNull(redactor, "redactor is null");
    }

    /**
     * Opens {@code file} for appending through {@link OutputFiles}: created with POSIX mode 0600 when
     * it does not exist, an existing file that others can read narrowed to 0600 with a warning, and
     * a symbolic link, a special file or a path under {@code /proc}, {@code /sys} or {@code /dev}
     * refused.
     *
     * @throws IOException with a message naming the file and the reason when it cannot be opened
     */
    public static AuditLog toFile(Path file, Redactor redactor) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(redactor, "redactor is null");
        Writer writer = new BufferedWriter(new OutputStreamWriter(OutputFiles.openForAppend(file, "audit file"),
                StandardCharsets.UTF_8));
        return new AuditLog(writer, true, redactor);
    }

    /** Opens the sink {@code config} names: its file, or else {@code stderr}. */
    public static AuditLog open(AuditConfig config, Redactor redactor, PrintStream stderr) throws IOException {
        requireNonNull(config, "config is null");
        if (config.file() != null) {
            return toFile(config.file(), redactor);
        }
        return new AuditLog(requireNonNull(stderr, "stderr is null"), redactor);
    }

    /**
     * Writes {@code record} as one JSON line and returns once it has been flushed. Concurrent
     * records are group-committed: whichever caller holds the sink writes every line queued so
     * far, in queue order, and flushes once; a caller whose line went out with another's batch
     * finds the queue empty and returns, after that flush. A failing sink is logged, never thrown
     * into the call.
     */
    public void write(AuditRecord record) {
        requireNonNull(record, "record is null");
        queued.add(toJson(record));
        synchronized (lock) {
            String line = queued.poll();
            if (line == null) {
                return;
            }
            try {
                while (line != null) {
                    out.write(line);
                    out.write('\n');
                    line = queued.poll();
                }
                out.flush();
            } catch (IOException e) {
                if (!failureReported) {
                    failureReported = true;
                    LOG.error("Cannot write audit records: {}", redactor.redact(String.valueOf(e.getMessage())));
                }
            }
        }
    }

    /** The SHA-256 (hex) of the canonical JSON (keys sorted) of the redacted {@code arguments}. */
    public String argsSha256(JsonNode arguments) {
        JsonNode redacted = SecretRedactor.redactTree(redactor, arguments == null
                ? JsonNodeFactory.instance.objectNode() : arguments);
        return sha256(canonicalJson(redacted));
    }

    /** {@code node} as JSON with every object's keys in sorted order, so equal trees hash equally. */
    public static String canonicalJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be serialized", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                copy.set(name, sorted(node.get(name)));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    /**
     * What the audit records of a session: the first 16 hex digits of the SHA-256 of its id. Enough
     * to tie one session's calls together; the id itself lets its holder act in the session, so
     * it never goes into a file that many people read.
     */
    public String sessionFingerprint(String sessionId) {
        return sessionId == null ? null : sha256(sessionId).substring(0, 16);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private String toJson(AuditRecord record) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(record.timestamp()));
        json.put("principal", redact(record.principal()));
        json.put("client", redact(record.client()));
        json.put("session", redact(record.session()));
        json.put("tool", redact(record.tool()));
        json.put("provider", redact(record.provider()));
        json.put("instance", redact(record.instance()));
        if (record.policy() != null) {
            json.put("policy", redact(record.policy()));
        }
        json.put("decision", redact(record.decision()));
        json.put("reason", redact(record.reason()));
        json.put("outcome", record.outcome().wireName());
        json.put("duration_ms", record.durationMs());
        json.put("bytes_in", record.bytesIn());
        json.put("bytes_out", record.bytesOut());
        json.put("args_sha256", record.argsSha256());
        try {
            // Jackson escapes control characters, so a newline in a field cannot split the record.
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit record could not be serialized", e);
        }
    }

    private String redact(String value) {
        return value == null ? null : redactor.redact(value);
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closeOut) {
                out.close();
            } else {
                out.flush();
            }
        }
    }
}
