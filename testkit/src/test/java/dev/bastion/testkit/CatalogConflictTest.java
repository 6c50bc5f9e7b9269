package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.mcp.Catalog;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.testkit.conformance.ConformanceFixtures;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two providers that claim the same tool name, resource or prompt stop start-up, naming both; the
 * instances of one provider share its resources and prompts.
 */
class CatalogConflictTest {

    private static ProviderInstance fixtures(String providerId) {
        return fixtures(providerId, "default");
    }

    private static ProviderInstance fixtures(String providerId, String alias) {
        ServerProviderContext context = new ServerProviderContext(JsonMappers.create(), Redactor.NONE, Clock.systemUTC(),
                "t", Map.of());
        return new ProviderInstance(providerId, "test_", alias, Optional.empty(), new ConformanceFixtures()
                .create(new ProviderConfig(providerId, alias, Map.of()), context));
    }

    @Test
    void instancesOfOneProviderShareItsResourcesAndPromptsServedByTheFirst() {
        Catalog catalog = Catalog.build(List.of(fixtures("fixtures", "prod"), fixtures("fixtures", "lab")));
        assertThat(catalog.resource("test://static-text")).get().extracting(Catalog.Owned::alias).isEqualTo("prod");
        assertThat(catalog.tool("test_simple_text")).isPresent();
    }

    @Test
    void duplicateToolNamesAcrossProvidersNameBothProviders() {
        assertThatThrownBy(() -> Catalog.build(List.of(fixtures("first"), fixtures("second"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test_simple_text")
                .hasMessageContaining("provider first")
                .hasMessageContaining("provider second");
    }
}
