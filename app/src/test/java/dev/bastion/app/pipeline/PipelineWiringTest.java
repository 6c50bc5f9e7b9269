package dev.bastion.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.LaunchOptions;
import dev.bastion.core.pipeline.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running server wires every pipeline stage, in the order {@link Stage} fixes. */
class PipelineWiringTest {

    @TempDir
    Path temp;

    @Test
    void theDefaultServerRunsEveryStageInOrder() {
        try (BastionRuntime runtime = BastionRuntime.start(new LaunchOptions(Optional.empty(), Optional.empty(), false,
                Map.of()), System.err)) {
            assertThat(runtime.chain().stages()).as("every stage but the opt-in tool content capture")
                    .containsExactly(java.util.Arrays.stream(Stage.values()).filter(s -> s != Stage.TELEMETRY)
                            .toArray(Stage[]::new));
        }
    }

    @Test
    void theToolContentCaptureIsTheOutermostStageWhenTracingIsOnAndTheOperatorOptsIn() {
        try (BastionRuntime runtime = BastionRuntime.start(new LaunchOptions(Optional.empty(), Optional.empty(), false,
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_METRIC_EXPORT_INTERVAL", "3600000",
                        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")), System.err)) {
            assertThat(runtime.chain().stages()).containsExactly(Stage.values());
        }
    }

    @Test
    void onlyAuditAndRateLimitCanBeSwitchedOff() throws Exception {
        Path config = temp.resolve("bastion.yaml");
        Files.writeString(config, "security:\n  audit:\n    enabled: false\n  rate_limit:\n    enabled: false\n");
        try (BastionRuntime runtime = BastionRuntime.start(new LaunchOptions(Optional.of(config), Optional.empty(),
                false, Map.of()), System.err)) {
            EnumSet<Stage> expected = EnumSet.allOf(Stage.class);
            expected.removeAll(Arrays.asList(Stage.TELEMETRY, Stage.AUDIT, Stage.RATE_LIMIT));
            assertThat(runtime.chain().stages()).containsExactlyElementsOf(expected);
        }
    }
}
