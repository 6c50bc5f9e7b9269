package dev.bastion.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.security.audit.AuditRecord.Outcome;
import dev.bastion.security.redact.SecretRedactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AuditLogTest {

    private static final String SECRET = "Planted-Audit-Secret-99";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final SecretRedactor redactor = SecretRedactor.withSecrets(List.of(SECRET));

    @Test
    void createsTheFileOwnerReadableOnlyAndAppendsOneLinePerRecord() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.toFile(file, redactor)) {
            log.write(record("first"));
        }
        try (AuditLog log = AuditLog.toFile(file, redactor)) {
            log.write(record("second"));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("tool").asText()).isEqualTo("first");
        assertThat(JSON.readTree(lines.get(1)).get("tool").asText()).isEqualTo("second");
    }

    @Test
    void narrowsAnExistingWorldReadableFile() throws Exception {
        Path file = Files.createFile(dir.resolve("audit.jsonl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

        try (AuditLog log = AuditLog.toFile(file, redactor)) {
            log.write(record("t"));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesASymbolicLinkPlantedAtTheAuditPath() throws Exception {
        Path target = Files.createFile(dir.resolve("shared.conf"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Path link = Files.createSymbolicLink(dir.resolve("audit.jsonl"), target);

        assertThatThrownBy(() -> AuditLog.toFile(link, redactor))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot open the audit file " + link + ": it is a symbolic link");

        assertThat(Files.size(target)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }

    @Test
    void explainsWhyTheFileCannotBeOpened() {
        Path file = dir.resolve("missing/audit.jsonl");

        assertThatThrownBy(() -> AuditLog.toFile(file, redactor))
                .hasMessage("Cannot open the audit file " + file + ": its directory does not exist");
    }

    @Test
    void writesEveryFieldAndRedactsEveryString() throws Exception {
        StringWriter out = new StringWriter();
        AuditLog log = new AuditLog(out, redactor);
        AuditRecord record = new AuditRecord(Instant.parse("2026-11-22T02:35:23.123Z"), "alice " + SECRET,
                "client password=hunter2", null, "test_tool", "test_provider", "prod", "rate_limited",
                "too many calls by " + SECRET, Outcome.DENIED, 12, 345, 678, "ab".repeat(32));

        log.write(record);

        assertThat(out.toString()).endsWith("\n").doesNotContain(SECRET, "hunter2");
        JsonNode line = JSON.readTree(out.toString());
        assertThat(line.toString()).isEqualTo("{\"timestamp\":\"2026-11-22T02:35:23.123Z\","
                + "\"principal\":\"alice [REDACTED]\",\"client\":\"client password=[REDACTED]\",\"session\":null,"
                + "\"tool\":\"test_tool\",\"provider\":\"test_provider\",\"instance\":\"prod\","
                + "\"decision\":\"rate_limited\",\"reason\":\"too many calls by [REDACTED]\",\"outcome\":\"denied\","
                + "\"duration_ms\":12,\"bytes_in\":345,\"bytes_out\":678,\"args_sha256\":\"" + "ab".repeat(32) + "\"}");
    }

    @Test
    void writesThePolicyThatAppliedAfterTheInstance() throws Exception {
        StringWriter out = new StringWriter();
        new AuditLog(out, redactor).write(new AuditRecord(Instant.EPOCH, "alice", null, null, "t", "p", "prod",
                "read_only", "refused", Outcome.DENIED, 0, 1, 0, "ab".repeat(32),
                "instance prod: read_only=true, approval=destructive"));

        assertThat(out.toString()).contains("\"instance\":\"prod\",\"policy\":\"instance prod: read_only=true, "
                + "approval=destructive\",\"decision\"");
    }

    @Test
    void aFailingSinkNeverFailsTheCall() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AuditLog log = new AuditLog(broken, redactor);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.class);
        logger.addAppender(appender);
        try {
            log.write(record("a"));
            log.write(record("b"));
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo("Cannot write audit records: disk full");
    }

    @Test
    void writesThroughAnInjectedPrintStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stderr = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (AuditLog log = AuditLog.open(AuditConfig.DEFAULTS, redactor, stderr)) {
            log.write(record("to_stderr"));
        }

        assertThat(JSON.readTree(bytes.toString(StandardCharsets.UTF_8)).get("tool").asText()).isEqualTo("to_stderr");
    }

    @Test
    void keepsNewlinesInsideFieldsFromSplittingRecords() {
        StringWriter out = new StringWriter();
        new AuditLog(out, redactor).write(new AuditRecord(Instant.EPOCH, "a\nb", null, null, "t", "p", "i",
                "allowed", "", Outcome.OK, 0, 0, 0, "0".repeat(64)));

        assertThat(out.toString().split("\n", -1)).hasSize(2);
    }

    @Test
    void writesWholeLinesFromManyThreads() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (AuditLog log = AuditLog.toFile(file, redactor)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        log.write(record("tool_" + thread + "_" + i));
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1000);
        Set<String> tools = new HashSet<>();
        for (String line : lines) {
            tools.add(JSON.readTree(line).get("tool").asText());
        }
        assertThat(tools).hasSize(1000);
    }

    /**
     * Concurrent records share flushes (group commit), yet every write returns only once its own
     * line has been flushed, and every line arrives whole.
     */
    @Test
    void groupCommitsConcurrentRecordsAndFlushesEachBeforeItsWriteReturns() throws Exception {
        SlowFlushingSink sink = new SlowFlushingSink();
        AuditLog log = new AuditLog(sink, redactor);
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String tool = "tool_" + thread + "_" + i;
                        log.write(record(tool));
                        assertThat(sink.flushed()).as("flushed when write() returned").contains("\"" + tool + "\"");
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        String[] lines = sink.flushed().split("\n");
        assertThat(lines).hasSize(threads * perThread);
        Set<String> tools = new HashSet<>();
        for (String line : lines) {
            tools.add(JSON.readTree(line).get("tool").asText());
        }
        assertThat(tools).hasSize(threads * perThread);
        assertThat(sink.flushes()).as("flushes for %d records", threads * perThread).isLessThan(threads * perThread);
    }

    /** A sink whose flush takes a millisecond, like a slow disk; remembers what each flush made durable. */
    private static final class SlowFlushingSink extends Writer {
        private final StringBuilder buffered = new StringBuilder();
        private final StringBuilder durable = new StringBuilder();
        private int flushes;

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            buffered.append(chars, offset, length);
        }

        @Override
        public void flush() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                durable.append(buffered);
                buffered.setLength(0);
                flushes++;
            }
        }

        @Override
        public void close() {
        }

        synchronized String flushed() {
            return durable.toString();
        }

        synchronized int flushes() {
            return flushes;
        }
    }

    @Test
    void hashesRedactedArgumentsIndependentOfKeyOrder() throws Exception {
        AuditLog log = new AuditLog(new StringWriter(), redactor);
        JsonNode one = JSON.readTree("{\"b\":1,\"a\":{\"y\":\"" + SECRET + "\",\"x\":[1,2]}}");
        JsonNode two = JSON.readTree("{\"a\":{\"x\":[1,2],\"y\":\"" + SECRET + "\"},\"b\":1}");
        JsonNode redactedForm = JSON.readTree("{\"a\":{\"x\":[1,2],\"y\":\"[REDACTED]\"},\"b\":1}");

        assertThat(log.argsSha256(one)).isEqualTo(log.argsSha256(two)).isEqualTo(log.argsSha256(redactedForm))
                .matches("[0-9a-f]{64}");
        assertThat(AuditLog.canonicalJson(two)).isEqualTo("{\"a\":{\"x\":[1,2],\"y\":\"" + SECRET + "\"},\"b\":1}");
        assertThat(log.argsSha256(JSON.readTree("{}")))
                .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }

    @Test
    void configDefaultsAndExplicitMapping() {
        assertThat(AuditConfig.from(new ProviderConfig("security", "default", Map.of())))
                .isEqualTo(new AuditConfig(true, null));
        assertThat(AuditConfig.from(new ProviderConfig("security", "default",
                Map.of("audit.enabled", false, "audit.file", Path.of("/var/log/bastion/audit.jsonl")))))
                .isEqualTo(new AuditConfig(false, Path.of("/var/log/bastion/audit.jsonl")));
        assertThat(AuditConfig.settings()).extracting(Setting::key).containsExactly("audit.enabled", "audit.file");
        assertThat(AuditConfig.settings()).flatExtracting(Setting::envNames)
                .containsExactly("BASTION_AUDIT_ENABLED", "BASTION_AUDIT_FILE");
    }

    private static AuditRecord record(String tool) {
        return new AuditRecord(Instant.now(), "alice", "client", "s1", tool, "p", "default", "allowed", "",
                Outcome.OK, 1, 2, 3, "0".repeat(64));
    }
}
