package dev.bastion.provider.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.tool.Tool;
import dev.bastion.provider.oci.mql.MqlParser;
import dev.bastion.provider.oci.sandbox.OciSandbox;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every MQL example in the tool descriptions and argument descriptions parses. */
class DescriptionExamplesTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "[A-Z][A-Za-z]*\\[[0-9]+[mhd]\\](\\{[^}]*\\})?(\\.[A-Za-z]+\\([^)]*\\))+( [<>]=? [0-9.]+)?");

    @Test
    void everyMqlExampleIsValid() {
        List<String> examples = new ArrayList<>();
        try (OciSandbox sandbox = OciSandbox.start(OciSandbox.Options.defaults())) {
            Map<String, Object> values = new LinkedHashMap<>(sandbox.instances().get(0));
            values.put("config_file", Path.of(values.get("config_file").toString()));
            values.put("monitoring_endpoint", URI.create(sandbox.url()));
            values.put("identity_endpoint", URI.create(sandbox.url()));
            var provider = new OciProviderFactory(Map.of(), Path.of("/nonexistent")).create(
                    new dev.bastion.core.spi.ProviderConfig("oci", "sandbox", values),
                    new dev.bastion.core.spi.ServerProviderContext(new com.fasterxml.jackson.databind.ObjectMapper(),
                            new dev.bastion.security.redact.SecretRedactor(), java.time.Clock.systemUTC(), "test",
                            Map.of(dev.bastion.security.outbound.OutboundHttp.class,
                                    new dev.bastion.security.outbound.OutboundHttp(
                                            new dev.bastion.security.redact.SecretRedactor(), "test", Map.of()))));
            for (Tool tool : provider.tools()) {
                String text = (tool.descriptor().description() + " " + tool.descriptor().inputSchema()).replace("\\\"", "\"");
                Matcher matcher = EXAMPLE.matcher(text);
                while (matcher.find()) {
                    examples.add(matcher.group());
                }
            }
        }

        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        examples.forEach(example -> assertThat(MqlParser.parse(example)).as(example).isNotEmpty());
    }
}
