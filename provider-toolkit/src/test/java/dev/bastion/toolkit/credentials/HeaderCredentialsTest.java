package dev.bastion.toolkit.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.spi.Secret;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.net.URI;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class HeaderCredentialsTest {

    private static final String TOKEN = "dt0c01.PLANTEDPUBLICPART1234567.PLANTEDSECRETPART";
    private static final OutgoingRequest ANY = new OutgoingRequest("GET", URI.create("https://x.example/api"),
            Map.of(), new byte[0]);

    @Test
    void sendsTheTokenWithTheSchemeTheBackendExpects() {
        assertThat(HeaderCredentials.apiToken(Secret.of(TOKEN), "api_token").headersFor(ANY))
                .containsExactly(Map.entry("Authorization", "Api-Token " + TOKEN));
        assertThat(HeaderCredentials.bearer(Secret.of(TOKEN), "platform_token").headersFor(ANY))
                .containsExactly(Map.entry("Authorization", "Bearer " + TOKEN));
        assertThat(HeaderCredentials.scheme("OAuth", Secret.of(TOKEN), "oauth_token").headersFor(ANY))
                .containsExactly(Map.entry("Authorization", "OAuth " + TOKEN));
        assertThat(HeaderCredentials.header("X-Api-Key", Secret.of(TOKEN), "api_key").headersFor(ANY))
                .containsExactly(Map.entry("X-Api-Key", TOKEN));
    }

    @Test
    void theBackendReceivesTheHeaderAndCannotRefreshIt() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(401));
            HeaderCredentials credentials = HeaderCredentials.apiToken(Secret.of(TOKEN), "api_token");
            OkHttpClient client = new OutboundHttp(new SecretRedactor(), "test", Map.of())
                    .client(BackendSpec.builder("dt/prod").credentials(credentials).allowInsecureLoopback(true).build());

            try (Response response = client.newCall(new Request.Builder().url(server.url("/api/v2/problems")).build())
                    .execute()) {
                assertThat(response.code()).isEqualTo(401);
            }

            RecordedRequest request = server.takeRequest();
            assertThat(request.getHeader("Authorization")).isEqualTo("Api-Token " + TOKEN);
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(credentials.invalidate()).isFalse();
        }
    }

    @Test
    void theTokenIsASecretValueAndNeverShown() {
        HeaderCredentials credentials = HeaderCredentials.apiToken(Secret.of(TOKEN), "api_token");

        assertThat(credentials.secretValues()).containsExactly(TOKEN);
        assertThat(credentials.toString()).isEqualTo("HeaderCredentials[Authorization: Api-Token [REDACTED] from api_token]")
                .doesNotContain("PLANTED");
    }

    @Test
    void aTokenWithALineBreakIsRefusedNamingTheSettingNotTheValue() {
        assertThatThrownBy(() -> HeaderCredentials.bearer(Secret.of("abcPLANTED\r\nX-Injected: 1"), "platform_token"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("platform_token contains a character that cannot be sent in an HTTP header (position 11);"
                        + " check for a stray space or line break")
                .message().doesNotContain("PLANTED");
        assertThatThrownBy(() -> HeaderCredentials.bearer(Secret.of(""), "platform_token"))
                .hasMessage("platform_token is empty");
    }

    @Test
    void refusesAHeaderNameOrSchemeThatIsNotOneToken() {
        assertThatThrownBy(() -> HeaderCredentials.header("X Api Key", Secret.of(TOKEN), "api_key"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid HTTP header name");
        assertThatThrownBy(() -> HeaderCredentials.scheme("Api Token", Secret.of(TOKEN), "api_token"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be one word");
    }
}
