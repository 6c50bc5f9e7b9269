package dev.bastion.provider.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact form of summarize_metrics_data against the raw API JSON, for 20 instances x 180
 * points (3 hours at 1m): once against the answer as compact JSON, once as OCI formats it (pretty,
 * with " : ", as the recorded fixtures show). Measured: 272,135 bytes OCI-formatted, 205,794 compact,
 * 61,123 for the tool's points (22% and 30%), 4,999 with summary.
 */
class OutputSizeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ArrayNode rawAnswer() {
        Random random = new Random(7);
        ArrayNode raw = JsonNodeFactory.instance.arrayNode();
        Instant start = Instant.parse("2026-12-04T07:00:00Z");
        for (int i = 0; i < 20; i++) {
            ObjectNode series = raw.addObject();
            series.put("namespace", "oci_computeagent");
            series.putNull("resourceGroup");
            series.put("compartmentId", "ocid1.compartment.oc1..aaaaaaaaqzl3hhb2kqwrd6rabcdpvygf5kaxwpymq3iyhyq7g6nm3aaaaaaa");
            series.put("name", "CpuUtilization");
            ObjectNode dimensions = series.putObject("dimensions");
            dimensions.put("resourceId", "ocid1.instance.oc1.iad.anuwcljtqb3bbtqcmwsuyctfvfqflnrpwmkhkbkbzq3vrd4dc5kmj7" + i);
            dimensions.put("resourceDisplayName", "web-" + i);
            ObjectNode metadata = series.putObject("metadata");
            metadata.put("displayName", "CPU Utilization");
            metadata.put("unit", "percent");
            series.put("resolution", "1m");
            ArrayNode points = series.putArray("aggregatedDatapoints");
            for (int p = 0; p < 180; p++) {
                ObjectNode point = points.addObject();
                point.put("timestamp", start.plusSeconds(60L * p).toString().replace("Z", ".000Z"));
                point.put("value", Math.round(random.nextDouble() * 10000) / 100.0);
            }
        }
        return raw;
    }

    @Test
    void rangeAcrossMidnightKeepsFullTimes() {
        ObjectNode out = MetricTools.compact(rawAnswer(), Instant.parse("2026-12-03T23:00:00Z"),
                Instant.parse("2026-12-04T02:00:00Z"), "1m", false);

        assertThat(out.has("date")).isFalse();
        assertThat(out.path("series").get(0).path("points").get(0).get(0).asText()).isEqualTo("2026-12-04T07:00Z");
    }

    @Test
    void compactSeriesAreAFractionOfTheRawAnswer() throws Exception {
        ArrayNode raw = rawAnswer();
        int compactRaw = JSON.writeValueAsBytes(raw).length;
        DefaultPrettyPrinter oci = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n")).withSeparators(
                        com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.BOTH));
        int prettyRaw = JSON.writer(oci).writeValueAsBytes(raw).length;

        int compact = JSON.writeValueAsBytes(MetricTools.compact(raw, Instant.parse("2026-12-04T07:00:00Z"),
                Instant.parse("2026-12-04T10:00:00Z"), "1m", false)).length;
        int summary = JSON.writeValueAsBytes(MetricTools.compact(raw, Instant.parse("2026-12-04T07:00:00Z"),
                Instant.parse("2026-12-04T10:00:00Z"), "1m", true)).length;

        assertThat((double) compact / prettyRaw).as("compact %d bytes vs OCI-formatted %d", compact, prettyRaw)
                .isLessThanOrEqualTo(1.0 / 3);
        assertThat((double) compact / compactRaw).as("compact %d bytes vs compact raw %d", compact, compactRaw)
                .isLessThanOrEqualTo(1.0 / 3);
        assertThat(summary).as("summary").isLessThan(compactRaw / 30);
    }
}
