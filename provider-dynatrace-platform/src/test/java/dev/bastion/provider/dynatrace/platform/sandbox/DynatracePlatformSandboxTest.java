package dev.bastion.provider.dynatrace.platform.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testkit.MutableClock;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox authenticates, checks scopes and records what the platform would send, as the platform does. */
class DynatracePlatformSandboxTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final MediaType APPLICATION_JSON = MediaType.get("application/json");
    static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

    MutableClock clock;
    DynatracePlatformSandbox sandbox;
    String env;

    @BeforeEach
    void start() {
        clock = new MutableClock();
        sandbox = DynatracePlatformSandbox.start(new DynatracePlatformSandbox.Options(42L, clock, Duration.ZERO, 0));
        env = sandbox.environmentIds().get(0);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static Reply send(Request request) throws IOException {
        try (Response response = HTTP.newCall(request).execute()) {
            return new Reply(response.code(), response.header("Content-Type", ""), response.body().string());
        }
    }

    Reply get(String token, String path) throws IOException {
        return send(new Request.Builder().url(sandbox.environmentUrl(env) + path)
                .header("Authorization", "Bearer " + token).build());
    }

    Reply post(String token, String path, String json) throws IOException {
        return send(new Request.Builder().url(sandbox.environmentUrl(env) + path)
                .header("Authorization", "Bearer " + token).post(RequestBody.create(json, APPLICATION_JSON)).build());
    }

    Reply oauth(String scope) throws IOException {
        return send(new Request.Builder().url(sandbox.ssoUrl() + "/oauth2/token").post(new FormBody.Builder()
                .add("grant_type", "client_credentials").add("client_id", sandbox.clientId())
                .add("client_secret", sandbox.clientSecret()).add("scope", scope).build()).build());
    }

    String token() {
        return sandbox.platformToken(env);
    }

    @Test
    void credentialsHaveThePlatformsShapes() {
        assertThat(sandbox.environmentIds()).hasSize(3).doesNotHaveDuplicates();
        for (String id : sandbox.environmentIds()) {
            assertThat(sandbox.platformToken(id)).matches("dt0s16\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");
            assertThat(sandbox.environmentUrl(id)).isEqualTo(sandbox.url() + "/e/" + id);
        }
        assertThat(sandbox.clientId()).matches("dt0s02\\.[A-Z0-9]{8}");
        assertThat(sandbox.clientSecret()).matches("dt0s02\\.[A-Z0-9]{8}\\.[A-Z0-9]{64}").startsWith(sandbox.clientId() + ".");
        List<Map<String, Object>> instances = sandbox.instances();
        assertThat(instances).extracting(i -> i.get("alias")).containsExactly("prod", "staging", "dev");
        assertThat(instances.get(0)).containsEntry("platform_token", sandbox.platformToken(sandbox.environmentIds().get(0)))
                .containsEntry("allow_insecure_loopback", true);
        assertThat(instances.get(2)).containsEntry("oauth_client_id", sandbox.clientId())
                .containsEntry("oauth_client_secret", sandbox.clientSecret()).containsEntry("sso_url", sandbox.ssoUrl())
                .containsEntry("url", sandbox.environmentUrl(sandbox.environmentIds().get(2)));
    }

    @Test
    void environmentInformationWithThePlatformToken() throws IOException {
        Reply reply = get(token(), "/platform/management/v1/environment");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("environmentId").asText()).isEqualTo(env);
        assertThat(reply.json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(reply.json().has("createTime")).isTrue();
    }

    @Test
    void oauthTokenCarriesExactlyTheScopesAskedFor() throws IOException {
        Reply issued = oauth("app-engine:apps:run storage:logs:read");
        assertThat(issued.status()).isEqualTo(200);
        assertThat(issued.json().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(issued.json().path("expires_in").asInt()).isEqualTo(300);
        assertThat(issued.json().path("scope").asText()).isEqualTo("app-engine:apps:run storage:logs:read");
        String access = issued.json().path("access_token").asText();
        for (String id : sandbox.environmentIds()) {
            Reply info = send(new Request.Builder().url(sandbox.environmentUrl(id) + "/platform/management/v1/environment")
                    .header("Authorization", "Bearer " + access).build());
            assertThat(info.status()).isEqualTo(200);
            assertThat(info.json().path("environmentId").asText()).isEqualTo(id);
        }
        Reply refused = get(access, "/platform/document/v1/documents");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").path("code").asInt()).isEqualTo(403);
        assertThat(refused.json().path("error").path("message").asText())
                .startsWith("Token is missing required scope").contains("document:documents:read");
        assertThat(refused.json().path("error").path("details").path("missingScopes").get(0).asText())
                .isEqualTo("document:documents:read");
    }

    @Test
    void oauthRefusesUnknownScopesAndWrongSecrets() throws IOException {
        Reply unknown = oauth("storage:logs:read storage:everything:read");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").asText()).isEqualTo("invalid_scope");
        Reply wrong = send(new Request.Builder().url(sandbox.ssoUrl() + "/oauth2/token").post(new FormBody.Builder()
                .add("grant_type", "client_credentials").add("client_id", sandbox.clientId())
                .add("client_secret", sandbox.clientSecret() + "X").add("scope", "storage:logs:read").build()).build());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void expiredWrongAndMalformedTokensAre401() throws IOException {
        String access = oauth("app-engine:apps:run").json().path("access_token").asText();
        assertThat(get(access, "/platform/management/v1/environment").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(301));
        Reply expired = get(access, "/platform/management/v1/environment");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("error").path("message").asText()).isEqualTo("jwt expired");

        Reply malformed = get("dt0s16.SHORT.TOKEN", "/platform/management/v1/environment");
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(malformed.json().path("error").path("message").asText()).isEqualTo("Platform token has invalid format.");
        Reply garbage = get("not-a-token", "/platform/management/v1/environment");
        assertThat(garbage.json().path("error").path("message").asText()).isEqualTo("Platform token has invalid format.");

        String otherEnvironmentsToken = sandbox.platformToken(sandbox.environmentIds().get(1));
        Reply foreign = get(otherEnvironmentsToken, "/platform/management/v1/environment");
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(foreign.json().path("error").path("code").asInt()).isEqualTo(401);

        Reply none = send(new Request.Builder().url(sandbox.environmentUrl(env) + "/platform/management/v1/environment").build());
        assertThat(none.status()).isEqualTo(401);
    }

    @Test
    void documentsFilterAndPage() throws IOException {
        Reply notebooks = get(token(), "/platform/document/v1/documents?filter=type%3D%3D'notebook'");
        assertThat(notebooks.status()).isEqualTo(200);
        assertThat(notebooks.json().path("totalCount").asInt()).isEqualTo(3);
        notebooks.json().path("documents").forEach(d -> assertThat(d.path("type").asText()).isEqualTo("notebook"));
        Reply named = get(token(), "/platform/document/v1/documents?filter="
                + java.net.URLEncoder.encode("type == 'notebook' and name contains 'kubernetes'", java.nio.charset.StandardCharsets.UTF_8));
        assertThat(named.json().path("documents")).hasSize(1);
        assertThat(named.json().path("documents").get(0).path("name").asText()).isEqualTo("Kubernetes troubleshooting");

        List<String> names = new ArrayList<>();
        Reply page = get(token(), "/platform/document/v1/documents?page-size=3");
        int pages = 1;
        page.json().path("documents").forEach(d -> names.add(d.path("name").asText()));
        while (!page.json().path("nextPageKey").isNull()) {
            page = get(token(), "/platform/document/v1/documents?page-size=3&page-key="
                    + java.net.URLEncoder.encode(page.json().path("nextPageKey").asText(), java.nio.charset.StandardCharsets.UTF_8));
            page.json().path("documents").forEach(d -> names.add(d.path("name").asText()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(names).hasSize(7).isSorted().doesNotHaveDuplicates();

        Reply bad = get(token(), "/platform/document/v1/documents?filter=colour%3D%3D'red'");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(get(token(), "/platform/document/v1/documents?page-key=forged").status()).isEqualTo(400);
    }

    @Test
    void createNotebookIsRecordedAndListed() throws IOException {
        String content = "{\"defaultTimeframe\":{\"from\":\"now()-2h\",\"to\":\"now()\"},\"sections\":[{\"type\":\"dql\","
                + "\"state\":{\"input\":{\"value\":\"fetch logs\"}}}]}";
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("name", "Incident P-123 analysis").addFormDataPart("type", "notebook")
                .addFormDataPart("description", "from the test")
                .addFormDataPart("content", "content.json", RequestBody.create(content, APPLICATION_JSON)).build();
        Reply created = send(new Request.Builder().url(sandbox.environmentUrl(env) + "/platform/document/v1/documents")
                .header("Authorization", "Bearer " + token()).post(body).build());
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("version").asInt()).isEqualTo(1);
        assertThat(sandbox.documentsCreated()).hasSize(1);
        assertThat(sandbox.documentsCreated().get(0).path("content").path("sections").get(0).path("type").asText()).isEqualTo("dql");
        Reply listed = get(token(), "/platform/document/v1/documents?filter=name%20contains%20'P-123'");
        assertThat(listed.json().path("documents").get(0).path("id").asText()).isEqualTo(id);
        assertThat(get(token(), "/platform/document/v1/documents/" + id + "/metadata").json().path("name").asText())
                .isEqualTo("Incident P-123 analysis");

        String writeless = oauth("document:documents:read").json().path("access_token").asText();
        Reply refused = send(new Request.Builder().url(sandbox.environmentUrl(env) + "/platform/document/v1/documents")
                .header("Authorization", "Bearer " + writeless).post(body).build());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("document:documents:write");
    }

    @Test
    void emailIsRecordedAndLimitedToTenRecipients() throws IOException {
        Reply sent = post(token(), "/platform/email/v1/emails", "{\"toRecipients\":{\"emailAddresses\":[\"ops@example.com\"]},"
                + "\"subject\":\"Problem P-1\",\"body\":{\"contentType\":\"text/plain\",\"body\":\"Look at it\"}}");
        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.json().path("requestId").asText()).isNotEmpty();
        assertThat(sandbox.emailsSent()).hasSize(1);
        assertThat(sandbox.emailsSent().get(0).path("subject").asText()).isEqualTo("Problem P-1");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("\"u").append(i).append("@example.com\"");
        }
        Reply tooMany = post(token(), "/platform/email/v1/emails", "{\"toRecipients\":{\"emailAddresses\":[" + many
                + "]},\"subject\":\"x\",\"body\":{\"contentType\":\"text/plain\",\"body\":\"y\"}}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("error").path("details").path("constraintViolations").get(0).path("path").asText())
                .isEqualTo("toRecipients");
        assertThat(sandbox.emailsSent()).hasSize(1);
    }

    @Test
    void eventIngestIsRecorded() throws IOException {
        Reply ingested = post(token(), "/platform/classic/environment-api/v2/events/ingest",
                "{\"eventType\":\"CUSTOM_DEPLOYMENT\",\"title\":\"Deployed checkout 2.0\",\"properties\":{\"version\":\"2.0\"}}");
        assertThat(ingested.status()).isEqualTo(201);
        assertThat(ingested.json().path("reportCount").asInt()).isEqualTo(1);
        assertThat(ingested.json().path("eventIngestResults").get(0).path("status").asText()).isEqualTo("OK");
        assertThat(sandbox.eventsIngested()).hasSize(1);
        assertThat(post(token(), "/platform/classic/environment-api/v2/events/ingest",
                "{\"eventType\":\"NOPE\",\"title\":\"x\"}").status()).isEqualTo(400);
        String readOnly = oauth("storage:events:read").json().path("access_token").asText();
        Reply refused = post(readOnly, "/platform/classic/environment-api/v2/events/ingest",
                "{\"eventType\":\"CUSTOM_INFO\",\"title\":\"x\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("storage:events:write");
    }

    @Test
    void slackThroughTheAppFunctionNeedsTheConnection() throws IOException {
        String path = "/platform/app-engine/app-functions/v1/apps/dynatrace.slack/api/slack-send-message";
        Reply sent = post(token(), path, "{\"connection\":\"C-SANDBOX\",\"channel\":\"#ops\",\"message\":\"P-1 is open\"}");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().path("result").path("ok").asBoolean()).isTrue();
        assertThat(sandbox.slackMessagesSent()).hasSize(1);
        assertThat(sandbox.slackMessagesSent().get(0).path("channel").asText()).isEqualTo("#ops");
        Reply unknown = post(token(), path, "{\"connection\":\"C-OTHER\",\"channel\":\"#ops\",\"message\":\"x\"}");
        assertThat(unknown.json().path("error").asText()).contains("C-OTHER");
        assertThat(sandbox.slackMessagesSent()).hasSize(1);
        assertThat(post(token(), "/platform/app-engine/app-functions/v1/apps/dynatrace.jira/api/create", "{}").status())
                .isEqualTo(404);
    }

    @Test
    void theRequestLogMasksEveryToken() throws IOException {
        String access = oauth("app-engine:apps:run").json().path("access_token").asText();
        get(access, "/platform/management/v1/environment?echo=" + access);
        get(token(), "/platform/management/v1/environment?echo=" + token());
        send(new Request.Builder().url(sandbox.ssoUrl() + "/oauth2/token?client_secret=" + sandbox.clientSecret())
                .post(new FormBody.Builder().add("grant_type", "client_credentials").build()).build());
        List<String> secrets = new ArrayList<>(List.of(access, sandbox.clientSecret()));
        sandbox.environmentIds().forEach(id -> secrets.add(sandbox.platformToken(id)));
        assertThat(sandbox.requests()).hasSizeGreaterThanOrEqualTo(4);
        for (LoggedRequest entry : sandbox.requests()) {
            String all = entry.pathAndQuery() + " " + entry.headers();
            for (String secret : secrets) {
                assertThat(all).doesNotContain(secret);
            }
        }
        assertThat(sandbox.requests().get(1).header("authorization")).contains("Bearer " + LoggedRequest.MASK);
    }

    @Test
    void unknownEnvironmentIs404() throws IOException {
        String access = oauth("app-engine:apps:run").json().path("access_token").asText();
        Reply reply = send(new Request.Builder().url(sandbox.url() + "/e/zzz99999/platform/management/v1/environment")
                .header("Authorization", "Bearer " + access).build());
        assertThat(reply.status()).isEqualTo(404);
    }
}
