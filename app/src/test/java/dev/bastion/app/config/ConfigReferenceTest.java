package dev.bastion.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    @Test
    void rendersOneTableRowPerSettingWithFullKeys() {
        String markdown = ConfigReference.markdown(List.of(ServerSettings.SECTION, TestSections.SECURITY,
                ConfigSection.forProvider(new TestProviderFactory("dynatrace-managed"))));

        assertThat(markdown).startsWith("# Configuration reference\n")
                .contains("explicit YAML value wins")
                .contains("\n## `server`\n")
                .contains("| `server.page_size` | `BASTION_PAGE_SIZE` | integer | `100` | no | no | "
                        + "Items per page of paginated lists (tools, resources, prompts). |")
                .contains("| `security.rate_limit.burst_size` |  | integer | `10` | no | no | Burst. |")
                .contains("| `providers.dynatrace-managed.api_token` | `DT_API_TOKEN`, `DYNATRACE_API_TOKEN` | string |  "
                        + "| yes | yes | API token. |");
    }

    @Test
    void sectionNamesAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigSection("providers", ServerSettings.SPEC))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigSection("Server", ServerSettings.SPEC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigSection.forProvider(new TestProviderFactory("oci")).isProvider()).isTrue();
    }
}
