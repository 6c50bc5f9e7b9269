package dev.bastion.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.SettingValues;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server binds a sandbox's instance exactly as {@link SettingValues#bind} (and so the testkit)
 * does: the same values, the same problems, only the path prefix differs.
 */
class SandboxBindingParityTest {

    private static final String TOKEN = "dt0c01.PLANTEDSECRETVALUE123";
    private final TestProviderFactory factory = new TestProviderFactory("dynatrace-managed");

    private BastionConfig serve(Map<String, Object> instance) {
        return ConfigLoader.builder().providers(List.of(factory))
                .sandboxInstances(factory.id(), List.of(instance)).build()
                .load(Optional.empty(), Map.of());
    }

    @Test
    void bindsTheSameValues() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("alias", "sandbox");
        raw.put("url", "http://127.0.0.1:41234");
        raw.put("api_token", TOKEN);
        raw.put("tags", List.of("a", " b"));
        raw.put("filters", Map.of("zone", List.of("x")));
        raw.put("proxy", Map.of("host", "proxy.internal"));
        raw.put("max_results", 7);

        ProviderConfig server = serve(raw).providers().get(factory.id()).get(0).config();
        ProviderConfig testkit = SettingValues.bind(factory.id(), factory.configSpec(), raw);

        assertThat(testkit).isEqualTo(server);
        assertThat(testkit.values()).containsKeys("url", "api_token", "tags", "filters", "proxy.host", "proxy.port",
                "timeout", "verify_tls", "max_results");
    }

    @Test
    void reportsTheSameProblems() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("alias", "sandbox");
        raw.put("url", "ftp://127.0.0.1");
        raw.put("api_tokn", TOKEN);
        raw.put("timeout", "soon");
        raw.put("proxy", "proxy.internal");
        raw.put("tags", List.of(Map.of("nested", "map")));

        List<String> server = catchThrowableOfType(() -> serve(raw), ConfigException.class).problems().stream()
                .map(problem -> problem.replace("providers.dynatrace-managed.sandbox[0]", "dynatrace-managed"))
                .toList();
        List<String> testkit = Arrays.asList(catchThrowableOfType(
                () -> SettingValues.bind(factory.id(), factory.configSpec(), raw), ProviderConfigException.class)
                .getMessage().split("; (?!did you mean)"));

        // The server copies sandbox maps without their order, so only the order of the problems may differ.
        assertThat(testkit).containsExactlyInAnyOrderElementsOf(server).hasSize(6);
        assertThat(String.join("\n", testkit)).doesNotContain(TOKEN);
    }
}
