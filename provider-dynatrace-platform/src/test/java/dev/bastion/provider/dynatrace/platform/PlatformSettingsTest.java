package dev.bastion.provider.dynatrace.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.testkit.ProviderHarness;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token separation, the .live. URL, the budget's setting. */
class PlatformSettingsTest {

    private static final String TOKEN = PlatformToolRequestsTest.TOKEN;
    private static final String CLIENT_ID = "dt0s02.ABCDEFGH";
    private static final String CLIENT_SECRET = "dt0s02.ABCDEFGH.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    private static PlatformSettings read(Map<String, Object> values) {
        Map<String, Object> raw = new LinkedHashMap<>(values);
        raw.putIfAbsent("alias", "prod");
        raw.putIfAbsent("url", "https://abc12345.apps.dynatrace.com");
        return PlatformSettings.from(ProviderHarness.bind(new DynatracePlatformProviderFactory(), raw));
    }

    @Test
    void aLiveUrlBecomesItsAppsFormWithANotice() {
        PlatformSettings settings = read(Map.of("url", "https://abc12345.live.dynatrace.com", "platform_token", TOKEN));

        assertThat(settings.backend().url()).hasToString("https://abc12345.apps.dynatrace.com");
        assertThat(settings.notice()).get().asString().contains("classic (.live.) host");
    }

    @Test
    void tokensOfTheWrongKindAreNamedWithoutTheirValue() {
        String apiToken = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

        assertThatThrownBy(() -> read(Map.of("platform_token", apiToken))).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("looks like an API token (dt0c01)").hasMessageContaining("dynatrace-managed")
                .hasMessageNotContaining("G3DFPBEJ");
        assertThatThrownBy(() -> read(Map.of("oauth_client_id", TOKEN, "oauth_client_secret", CLIENT_SECRET)))
                .hasMessageContaining("looks like a platform token (dt0s16)").hasMessageNotContaining("G3DFPBEJ");
        assertThatThrownBy(() -> read(Map.of("platform_token", TOKEN, "oauth_client_id", CLIENT_ID,
                "oauth_client_secret", CLIENT_SECRET))).hasMessageContaining("not both");
        assertThatThrownBy(() -> read(Map.of())).hasMessageContaining("no credentials");
        assertThat(read(Map.of("oauth_client_id", CLIENT_ID, "oauth_client_secret", CLIENT_SECRET)).oauth()).isTrue();
    }

    @Test
    void theBudgetIsInGigabytesAndMinusOneMeansNone() {
        assertThat(read(Map.of("platform_token", TOKEN)).budgetBytes()).isEqualTo(1000L * 1_000_000_000L);
        assertThat(read(Map.of("platform_token", TOKEN, "budget_gb", -1)).budgetBytes()).isEqualTo(-1);
        assertThatThrownBy(() -> read(Map.of("platform_token", TOKEN, "budget_gb", 0))).hasMessageContaining("budget_gb");
    }
}
