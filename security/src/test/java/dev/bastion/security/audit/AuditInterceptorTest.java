package dev.bastion.security.audit;

import static dev.bastion.security.validate.TestCalls.call;
import static dev.bastion.security.validate.TestCalls.json;
import static dev.bastion.security.validate.TestCalls.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.limits.ResultSizeInterceptor;
import dev.bastion.security.redact.RedactingInterceptor;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.security.validate.TestCalls;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AuditInterceptorTest {

    private static final String SECRET = "Planted-Registered-Secret-77";
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretRedactor redactor = SecretRedactor.withSecrets(List.of(SECRET));
    private final StringWriter out = new StringWriter();
    private final AuditLog log = new AuditLog(out, redactor);
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final ToolDescriptor tool = tool("test_search", "{\"type\":\"object\"}", null);

    @Test
    void recordsASuccessfulCall() throws Exception {
        ToolCall call = call(tool, "{\"query\":\"fetch logs\"}");
        ToolResult result = ToolResult.text("three records");

        ToolResult returned = chain().execute(call, c -> result);

        assertThat(returned).isSameAs(result);
        JsonNode record = onlyRecord();
        assertThat(record.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(record.get("principal").asText()).isEqualTo("alice");
        assertThat(record.get("client").asText()).isEqualTo("test-client");
        assertThat(record.get("session").asText()).as("a fingerprint of the session id, never the id itself")
                .hasSize(16).isHexadecimal().isNotEqualTo("session-1");
        assertThat(record.get("tool").asText()).isEqualTo("test_search");
        assertThat(record.get("provider").asText()).isEqualTo("test_provider");
        assertThat(record.get("instance").asText()).isEqualTo("default");
        assertThat(record.get("decision").asText()).isEqualTo("allowed");
        assertThat(record.get("reason").asText()).isEmpty();
        assertThat(record.get("outcome").asText()).isEqualTo("ok");
        assertThat(record.get("duration_ms").asLong()).isNotNegative();
        assertThat(record.get("bytes_in").asLong()).isEqualTo(call.requestBytes());
        assertThat(record.get("bytes_out").asLong()).isEqualTo(JSON.writeValueAsBytes(result).length);
        assertThat(record.get("args_sha256").asText()).isEqualTo(log.argsSha256(call.arguments()));
    }

    @Test
    void takesBytesOutFromTheSizeLimitsMeasurementOfTheSameResult() throws Exception {
        ToolResult result = ToolResult.text("x".repeat(70_000));

        chain(new ResultSizeInterceptor(JSON, 1_048_576)).execute(call(tool, "{}"), c -> result);

        assertThat(onlyRecord().get("bytes_out").asLong()).isEqualTo(JSON.writeValueAsBytes(result).length);
    }

    @Test
    void trustsARecordedMeasurementInsteadOfSerializingTheResultAgain() throws Exception {
        ToolResult result = ToolResult.text("measured upstream");
        ToolCallInterceptor measuring = measuringStage(Stage.RESULT_SIZE, 4242, produced -> produced);

        chain(measuring).execute(call(tool, "{}"), c -> result);

        assertThat(onlyRecord().get("bytes_out").asLong()).isEqualTo(4242);
    }

    @Test
    void measuresAResultThatDiffersFromTheMeasuredOne() throws Exception {
        ToolResult measured = ToolResult.text("measured");
        ToolResult replaced = ToolResult.text("replaced by a later stage");
        ToolCallInterceptor replacing = measuringStage(Stage.AUTHORIZE, 1, produced -> replaced);

        chain(replacing).execute(call(tool, "{}"), c -> measured);

        assertThat(onlyRecord().get("bytes_out").asLong()).isEqualTo(JSON.writeValueAsBytes(replaced).length);
    }

    @Test
    void recordsDeniedCallsWithTheirReason() throws Exception {
        ToolCallInterceptor denier = new ToolCallInterceptor() {
            @Override
            public Stage stage() {
                return Stage.RATE_LIMIT;
            }

            @Override
            public ToolResult intercept(ToolCall call, Chain chain) {
                return call.deny("rate_limited", "Too many calls; retry in 3 s");
            }
        };

        chain(denier).execute(call(tool, "{}"), c -> ToolResult.text("never"));

        JsonNode record = onlyRecord();
        assertThat(record.get("decision").asText()).isEqualTo("rate_limited");
        assertThat(record.get("reason").asText()).isEqualTo("Too many calls; retry in 3 s");
        assertThat(record.get("outcome").asText()).isEqualTo("denied");
    }

    @Test
    void recordsErrorResults() throws Exception {
        chain().execute(call(tool, "{}"), c -> ToolResult.error("backend down"));

        assertThat(onlyRecord().get("outcome").asText()).isEqualTo("error");
    }

    @Test
    void rethrowsExceptionsUnchangedAfterRecordingThem() {
        IOException failure = new IOException("connection reset");

        assertThatThrownBy(() -> chain().execute(call(tool, "{}"), c -> {
            throw failure;
        })).isSameAs(failure);

        JsonNode record = onlyRecord();
        assertThat(record.get("outcome").asText()).isEqualTo("error");
        assertThat(record.get("bytes_out").asLong()).isZero();
    }

    @Test
    void recordsCancellationAndTimeouts() {
        assertThatThrownBy(() -> chain().execute(call(tool, "{}"), c -> {
            throw new CancellationException("client cancelled");
        })).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> chain().execute(call(tool, "{}"), c -> {
            throw new TimeoutException("deadline");
        })).isInstanceOf(TimeoutException.class);

        List<JsonNode> records = records();
        assertThat(records.get(0).get("outcome").asText()).isEqualTo("cancelled");
        assertThat(records.get(1).get("outcome").asText()).isEqualTo("timeout");
    }

    @Test
    void recordsAnAbandonedCallOnceWhenItIsAnsweredAndNotAgainWhenItsToolReturns() throws Exception {
        ToolCall call = call(tool, "{}");

        ToolResult returned = chain().execute(call, c -> {
            c.decision().deny("timeout", "Tool test_search timed out after 30 s");
            c.decision().abandon(ToolResult.error("Tool test_search timed out after 30 s"));
            assertThat(records()).as("recorded when abandoned, before the tool returns").hasSize(1);
            return ToolResult.text("the tool's late answer");
        });

        assertThat(returned.allText()).isEqualTo("the tool's late answer");
        JsonNode record = onlyRecord();
        assertThat(record.get("decision").asText()).isEqualTo("timeout");
        assertThat(record.get("bytes_out").asLong())
                .isEqualTo(JSON.writeValueAsBytes(ToolResult.error("Tool test_search timed out after 30 s")).length);
    }

    @Test
    void recordsCancelledErrorResultsAsTimeoutWhenTheDeadlinePassed() throws Exception {
        var expired = TestCalls.context(Instant.parse("2025-12-31T23:59:59Z"));
        ToolCall call = TestCalls.call(tool, json("{}"), expired);

        chain().execute(call, c -> {
            c.context().cancel("deadline");
            return ToolResult.error("The call ran out of time");
        });

        assertThat(onlyRecord().get("outcome").asText()).isEqualTo("timeout");
    }

    @Test
    void neverWritesPlantedSecretsFromArgumentsOrResults() throws Exception {
        ToolCall call = call(tool, "{\"password\":\"hunter2\",\"note\":\"" + SECRET + "\",\"auth\":\"Bearer " + JWT
                + "\"}");

        chain(new RedactingInterceptor(redactor)).execute(call, c -> ToolResult.structured(
                json("{\"echo\":\"" + SECRET + "\"}"), "token=" + JWT + " " + SECRET));
        chain().execute(call, c -> c.deny("denied", "refused for " + SECRET));

        assertThat(out.toString()).doesNotContain(SECRET, "hunter2", JWT).contains("refused for [REDACTED]");
        assertThat(records().get(0).get("args_sha256").asText())
                .isEqualTo(log.argsSha256(json("{\"password\":\"[REDACTED]\",\"note\":\"[REDACTED]\","
                        + "\"auth\":\"Bearer [REDACTED]\"}")));
    }

    /** A stage that records {@code bytes} as the size of what the tool produced, then returns {@code then}'s result. */
    private static ToolCallInterceptor measuringStage(Stage stage, long bytes, UnaryOperator<ToolResult> then) {
        return new ToolCallInterceptor() {
            @Override
            public Stage stage() {
                return stage;
            }

            @Override
            public ToolResult intercept(ToolCall call, Chain next) throws Exception {
                ToolResult produced = next.proceed(call);
                call.decision().resultMeasured(produced, bytes);
                return then.apply(produced);
            }
        };
    }

    private ToolCallChain chain(ToolCallInterceptor... more) {
        List<ToolCallInterceptor> all = new java.util.ArrayList<>(List.of(more));
        all.add(new AuditInterceptor(log, clock));
        return ToolCallChain.of(all);
    }

    private JsonNode onlyRecord() {
        List<JsonNode> records = records();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private List<JsonNode> records() {
        return out.toString().lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }
}
