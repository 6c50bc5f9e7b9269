package dev.bastion.toolkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageKeysTest {

    private final PageKeys keys = PageKeys.create();

    private static void assertRefused(Runnable decode, String message) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(SandboxError.class, error -> {
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.parameter()).contains("nextPageKey");
            assertThat(error.location()).contains(SandboxError.Location.QUERY);
            assertThat(error.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aKeyCarriesTheQueryAndTheOffsetOfTheNextPage() {
        String key = keys.encode("problems", Map.of("from", "now-2d", "pageSize", "50"), 50);
        PageKeys.Page page = keys.decode("nextPageKey", "problems", key);
        assertThat(page.query()).containsExactlyInAnyOrderEntriesOf(Map.of("from", "now-2d", "pageSize", "50"));
        assertThat(page.offset()).isEqualTo(50);
        assertThat(key).matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
    }

    @Test
    void aKeyWithAForgedOffsetIsRefusedNotServed() {
        String key = keys.encode("problems", Map.of(), 50);
        String signature = key.substring(key.indexOf('.') + 1);
        for (String offset : List.of("-5", "2147483648", "\"x\"", "1e9")) {
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("{\"s\":\"problems\",\"q\":{},\"o\":" + offset + "}").getBytes(StandardCharsets.UTF_8));
            assertRefused(() -> keys.decode("nextPageKey", "problems", forged + "." + signature),
                    "is not a valid page key");
        }
    }

    @Test
    void theKeyFormatOfEarlierSandboxesIsRefused() {
        // The unsigned form the Dynatrace sandbox used to hand out: a forged offset in it was a 500.
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"p\":\"problems\",\"q\":{},\"o\":-5}".getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> keys.decode("nextPageKey", "problems", unsigned), "is not a valid page key");
    }

    @Test
    void garbageIsRefusedWithTheSameClearError() {
        for (String garbage : List.of("", "abc", ".", "a.b.c", "!!!.???", "eyJ9.", ".eyJ9", "x".repeat(10_000))) {
            assertRefused(() -> keys.decode("nextPageKey", "problems", garbage), "is not a valid page key");
        }
        assertRefused(() -> keys.decode("nextPageKey", "problems", null), "is not a valid page key");
    }

    @Test
    void aKeyFromAnotherSandboxIsRefused() {
        String foreign = PageKeys.create().encode("problems", Map.of(), 10);
        assertRefused(() -> keys.decode("nextPageKey", "problems", foreign), "is not a valid page key");
    }

    @Test
    void aKeySentToAnotherEndpointSaysSo() {
        String key = keys.encode("problems", Map.of(), 10);
        assertRefused(() -> keys.decode("nextPageKey", "events", key), "belongs to a different request");
    }

    @Test
    void aNegativeOffsetCannotBeEncoded() {
        assertThatThrownBy(() -> keys.encode("problems", Map.of(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
