package dev.bastion.provider.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.prompt.PromptResult;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ResourceContents;
import dev.bastion.provider.oci.mql.MqlParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MqlGuideTest {

    @Test
    void everyQueryOfTheGuideParses() throws Exception {
        List<ResourceContents> contents = MqlGuide.resource().read(BackgroundCall.within(Duration.ofSeconds(1)));
        String text = ((ResourceContents.Text) contents.get(0)).text();

        List<String> queries = text.lines().filter(line -> line.matches("^    [A-Z].*")).map(String::strip).toList();

        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
        queries.forEach(query -> assertThat(MqlParser.parse(query)).as(query).isNotEmpty());
        assertThat(text).contains("oci_computeagent", "oci_lbaas", "oci_autonomous_database");
    }

    @Test
    void slowInstancePromptNamesTheToolsAndAValidQuery() throws Exception {
        PromptResult result = MqlGuide.slowInstance().get(Map.of("instance", "web-1"),
                BackgroundCall.within(Duration.ofSeconds(1)));
        String text = ((Content.Text) result.messages().get(0).content()).text();

        assertThat(text).contains("oci_list_alarm_statuses", "oci_summarize_metrics_data", "resourceDisplayName");
        Matcher query = Pattern.compile("CpuUtilization\\[5m\\]\\{[^}]*\\}\\.max\\(\\)").matcher(text);
        assertThat(query.find()).isTrue();
        assertThat(MqlParser.parse(query.group())).containsExactly("CpuUtilization");
        assertThat(((Content.Text) MqlGuide.slowInstance().get(Map.of("instance", "ocid1.instance.oc1.iad.abc"),
                BackgroundCall.within(Duration.ofSeconds(1))).messages().get(0).content()).text()).contains("resourceId = ");
        assertThatThrownBy(() -> MqlGuide.slowInstance().get(Map.of("instance", "x\"}.sum() ||"),
                BackgroundCall.within(Duration.ofSeconds(1)))).isInstanceOf(IllegalArgumentException.class);
    }
}
