package dev.bastion.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.app.plugin.DiscoveredProviders;
import dev.bastion.app.plugin.ProviderDiscovery;
import dev.bastion.app.runtime.BastionRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is exactly what `bastion config --reference` prints for the bundled jar. */
class ConfigurationDocTest {

    /** Providers on the test classpath only (fixtures and the guide's example), not in the bundled jar. */
    private static final Set<String> TEST_ONLY = Set.of("fixture", "conformance", "prometheus");

    @Test
    void configurationReferenceIsUpToDate() throws Exception {
        List<ConfigSection> sections = new ArrayList<>(BastionRuntime.SERVER_SECTIONS);
        try (DiscoveredProviders providers = ProviderDiscovery.forApplication().discover(Optional.empty())) {
            for (DiscoveredProvider provider : providers.all()) {
                if (!TEST_ONLY.contains(provider.id())) {
                    sections.add(ConfigSection.forProvider(provider.factory()));
                }
            }
        }
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertThat(doc).as("docs/configuration.md is stale; regenerate it with "
                + "`java -jar app/target/bastion.jar config --reference > docs/configuration.md`")
                .isEqualTo(ConfigReference.markdown(sections));
    }
}
