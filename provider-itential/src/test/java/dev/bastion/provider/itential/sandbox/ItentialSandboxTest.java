package dev.bastion.provider.itential.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.MutableClock;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox authenticates, pages, filters, runs jobs and device commands as the platform does. */
class ItentialSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
    private static final OkHttpClient HTTP = new OkHttpClient();

    private MutableClock clock;
    private ItentialSandbox sandbox;
    private String token;

    @BeforeEach
    void start() throws IOException {
        clock = new MutableClock();
        sandbox = ItentialSandbox.start(new ItentialSandbox.Options(42L, clock, Duration.ofHours(1)));
        token = login(sandbox.username(), sandbox.password()).json().asText();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Reply send(Request request) throws IOException {
        try (Response response = HTTP.newCall(request).execute()) {
            return new Reply(response.code(), response.header("Content-Type", ""), response.body().string());
        }
    }

    private HttpUrl.Builder url(String path) {
        return HttpUrl.get(sandbox.url() + path).newBuilder();
    }

    private Reply get(String path, String... query) throws IOException {
        HttpUrl.Builder url = url(path).addQueryParameter("token", token);
        for (int i = 0; i < query.length; i += 2) {
            url.addQueryParameter(query[i], query[i + 1]);
        }
        return send(new Request.Builder().url(url.build()).build());
    }

    private Reply post(String path, Object body) throws IOException {
        return send(new Request.Builder().url(url(path).addQueryParameter("token", token).build())
                .post(RequestBody.create(JSON.writeValueAsString(body), APPLICATION_JSON)).build());
    }

    private Reply login(String username, String password) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("user").put("username", username).put("password", password);
        return send(new Request.Builder().url(url("/login").build())
                .post(RequestBody.create(body.toString(), APPLICATION_JSON)).build());
    }

    private Reply oauth(String grant, String clientId, String secret) throws IOException {
        return send(new Request.Builder().url(url("/oauth/token").build()).post(new FormBody.Builder()
                .add("grant_type", grant).add("client_id", clientId).add("client_secret", secret).build()).build());
    }

    @Test
    void loginAnswersAQuotedTokenThatAuthenticatesInTheQuery() throws IOException {
        Reply reply = login(sandbox.username(), sandbox.password());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.body()).startsWith("\"").endsWith("\"");
        assertThat(sandbox.logins()).isEqualTo(2);

        Reply whoami = get("/whoami");
        assertThat(whoami.status()).isEqualTo(200);
        assertThat(whoami.json().path("username").asText()).isEqualTo("sandbox-operator");
        assertThat(whoami.json().path("provenance").asText()).isEqualTo("Local AAA");
        assertThat(whoami.json().path("roleNames").get(0).asText()).isEqualTo("Admin");
        assertThat(whoami.json().path("groups").get(0).has("name")).isTrue();
    }

    @Test
    void wrongCredentialsAreAPlainTextUnauthorizedAndAMalformedBodyA400() throws IOException {
        Reply wrong = login(sandbox.username(), sandbox.password() + "x");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("text/plain");
        assertThat(wrong.body()).isEqualTo("Unauthorized");
        assertThat(login("admin", sandbox.password()).status()).isEqualTo(401);
        assertThat(sandbox.logins()).isEqualTo(1);

        Reply malformed = send(new Request.Builder().url(url("/login").build())
                .post(RequestBody.create("{\"username\":\"x\"}", APPLICATION_JSON)).build());
        assertThat(malformed.status()).isEqualTo(400);
    }

    @Test
    void aMissingWrongOrExpiredTokenIsRefused() throws IOException {
        Reply missing = send(new Request.Builder().url(url("/whoami").build()).build());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("Unauthorized");
        Reply wrong = send(new Request.Builder().url(url("/operations-manager/jobs")
                .addQueryParameter("token", token.substring(1)).build()).build());
        assertThat(wrong.status()).isEqualTo(401);

        clock.advance(Duration.ofMinutes(59));
        assertThat(get("/whoami").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        Reply expired = get("/whoami");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo("Unauthorized");
    }

    @Test
    void oauthClientCredentialsGiveABearerTokenForTheServiceAccount() throws IOException {
        Reply reply = oauth("client_credentials", sandbox.clientId(), sandbox.clientSecret());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("token_type").asText()).isEqualTo("bearer");
        assertThat(reply.json().path("expires_in").asLong()).isEqualTo(3600);
        String bearer = reply.json().path("access_token").asText();
        assertThat(bearer.split("\\.")).hasSize(3);

        Reply whoami = send(new Request.Builder().url(url("/whoami").build())
                .header("Authorization", "Bearer " + bearer).build());
        assertThat(whoami.status()).isEqualTo(200);
        assertThat(whoami.json().path("id").asText()).isEqualTo(sandbox.clientId());
        assertThat(whoami.json().path("provenance").asText()).isEqualTo("Service Account");

        Reply wrongSecret = oauth("client_credentials", sandbox.clientId(), "not-the-secret");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.json().path("error").asText()).isEqualTo("invalid_client");
        assertThat(oauth("password", sandbox.clientId(), sandbox.clientSecret()).status()).isEqualTo(400);

        clock.advance(Duration.ofHours(1));
        assertThat(send(new Request.Builder().url(url("/whoami").build())
                .header("Authorization", "Bearer " + bearer).build()).status()).isEqualTo(401);
    }

    @Test
    void healthStatusNeedsNoLoginAndTheStoppedAdapterShows() throws IOException {
        Reply status = send(new Request.Builder().url(url("/health/status").build()).build());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("services").size()).isEqualTo(3);
        assertThat(status.json().path("timestamp").asLong()).isEqualTo(clock.millis());
        assertThat(status.json().path("adapters").asText()).isEqualTo("degraded");

        assertThat(send(new Request.Builder().url(url("/health/adapters").build()).build()).status())
                .isEqualTo(401);
        JsonNode adapters = get("/health/adapters").json();
        assertThat(adapters.path("total").asInt()).isEqualTo(adapters.path("results").size()).isEqualTo(6);
        List<String> stopped = adapters.path("results").findParents("state").stream()
                .filter(a -> a.path("state").asText().equals("STOPPED")).map(a -> a.path("id").asText()).toList();
        assertThat(stopped).containsExactly("Kafka");
        assertThat(get("/health/applications").json().path("results").size()).isEqualTo(8);
        assertThat(get("/health/server").json().path("version").asText()).contains("2023.1");
    }

    @Test
    void jobsPageThroughAllThreeHundredByNextPageSkip() throws IOException {
        Set<String> ids = new HashSet<>();
        Integer skip = 0;
        int total = -1;
        while (skip != null) {
            JsonNode page = get("/operations-manager/jobs", "limit", "100", "skip", skip.toString()).json();
            JsonNode metadata = page.path("metadata");
            total = metadata.path("total").asInt();
            assertThat(metadata.path("currentPageSize").asInt()).isEqualTo(page.path("data").size());
            assertThat(metadata.has("hints")).isTrue();
            page.path("data").forEach(job -> ids.add(job.path("_id").asText()));
            skip = metadata.path("nextPageSkip").isNull() ? null : metadata.path("nextPageSkip").asInt();
        }
        assertThat(total).isEqualTo(300);
        assertThat(ids).hasSize(300);

        Reply tooMany = get("/operations-manager/jobs", "limit", "101");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("data").isNull()).isTrue();
        assertThat(tooMany.json().path("message").asText()).contains("limit");
    }

    @Test
    void jobFiltersSortAndOrderNarrowTheSearch() throws IOException {
        JsonNode errors = get("/operations-manager/jobs", "equals[status]", "error", "limit", "100").json();
        assertThat(errors.path("data").size()).isPositive();
        errors.path("data").forEach(job -> assertThat(job.path("status").asText()).isEqualTo("error"));

        JsonNode backups = get("/operations-manager/jobs", "contains[name]", "backup", "limit", "100").json();
        backups.path("data").forEach(job -> assertThat(job.path("name").asText()).isEqualTo("Backup Device Configs"));
        int exact = get("/operations-manager/jobs", "equals[name]", "Backup Device Configs").json()
                .path("metadata").path("total").asInt();
        assertThat(backups.path("metadata").path("total").asInt()).isEqualTo(exact).isPositive();

        long since = clock.millis() - Duration.ofDays(7).toMillis();
        JsonNode recent = get("/operations-manager/jobs", "gt[metrics.start_time]", String.valueOf(since),
                "sort", "metrics.start_time", "order", "-1", "limit", "100").json();
        assertThat(recent.path("metadata").path("total").asInt()).isBetween(1, 299);
        long previous = Long.MAX_VALUE;
        for (JsonNode job : recent.path("data")) {
            long started = job.path("metrics").path("start_time").asLong();
            assertThat(started).isGreaterThan(since).isLessThanOrEqualTo(previous);
            previous = started;
        }
    }

    @Test
    void aJobReadsLikeTheRecordedOneAndAnUnknownIdIsA404Envelope() throws IOException {
        String id = get("/operations-manager/jobs", "equals[status]", "complete", "limit", "1").json()
                .path("data").get(0).path("_id").asText();
        JsonNode reply = get("/operations-manager/jobs/" + id).json();
        JsonNode job = reply.path("data");
        assertThat(reply.path("message").asText()).isEqualTo("Successfully retrieved item");
        assertThat(job.path("tasks").has("workflow_start")).isTrue();
        assertThat(job.path("tasks").path("workflow_end").path("status").asText()).isEqualTo("complete");
        assertThat(job.path("metrics").path("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.path("metrics").path("end_time").asLong())
                .isGreaterThan(job.path("metrics").path("start_time").asLong());
        assertThat(job.path("variables").path("_id").asText()).isEqualTo(id);

        Reply unknown = get("/operations-manager/jobs/ffffffffffffffffffffffff");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("data").isNull()).isTrue();
        assertThat(unknown.json().path("metadata").isObject()).isTrue();
    }

    @Test
    void anEndpointTriggerSpawnsAJobThatCompletesAsTheClockAdvances() throws IOException {
        JsonNode endpoints = get("/operations-manager/triggers", "equals", "endpoint", "equalsField", "type").json()
                .path("data");
        assertThat(get("/operations-manager/triggers", "equals[type]", "endpoint").status()).isEqualTo(400);
        assertThat(endpoints.size()).isEqualTo(4);
        endpoints.forEach(trigger -> assertThat(trigger.path("routeName").asText()).isNotEmpty());

        Reply invalid = post("/operations-manager/triggers/endpoint/backup-device-configs", JSON.createObjectNode());
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("message").asText()).contains("'device'");
        Reply unknown = post("/operations-manager/triggers/endpoint/no-such-route", JSON.createObjectNode());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("not found");

        Reply started = post("/operations-manager/triggers/endpoint/backup-device-configs",
                JSON.createObjectNode().put("device", "rtr-atl-001"));
        assertThat(started.status()).isEqualTo(200);
        JsonNode job = started.json().path("data");
        assertThat(job.path("status").asText()).isEqualTo("running");
        assertThat(job.path("variables").path("device").asText()).isEqualTo("rtr-atl-001");
        String id = job.path("_id").asText();

        clock.advance(Duration.ofMillis(2500));
        JsonNode later = get("/operations-manager/jobs/" + id).json().path("data");
        assertThat(later.path("status").asText()).isEqualTo("running");
        assertThat(later.path("metrics").path("progress").asDouble()).isGreaterThan(0).isLessThan(1);

        clock.advance(Duration.ofSeconds(10));
        JsonNode done = get("/operations-manager/jobs/" + id).json().path("data");
        assertThat(done.path("status").asText()).isEqualTo("complete");
        assertThat(done.path("metrics").path("end_time").asLong()).isEqualTo(job.path("metrics").path("start_time")
                .asLong() + 3 * OperationsManagerEndpoints.SPAWNED_TASK_DURATION.toMillis());
        assertThat(get("/operations-manager/jobs").json().path("metadata").path("total").asInt()).isEqualTo(301);
    }

    private String deviceOf(String ostype) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("options").put("limit", 1).put("exactMatch", true).putObject("filter").put("ostype", ostype);
        return post("/configuration_manager/devices", body).json().path("list").get(0).path("name").asText();
    }

    private JsonNode runCommand(String command, String... devices) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("command", command);
        var names = body.putArray("devices");
        for (String device : devices) {
            names.add(device);
        }
        return post("/mop/RunCommandDevices", body).json();
    }

    @Test
    void runCommandDevicesAnswersInEachDevicesOsAndRefusesAnUnknownDevice() throws IOException {
        String ios = deviceOf("cisco-ios");
        String nxos = deviceOf("cisco-nxos");
        String junos = deviceOf("juniper-junos");
        JsonNode versions = runCommand("show version", ios, nxos, junos);
        assertThat(versions.get(0).path("response").asText()).contains("Cisco IOS XE Software", ios + " uptime is");
        assertThat(versions.get(1).path("response").asText()).contains("NX-OS", "Device name: " + nxos);
        assertThat(versions.get(2).path("response").asText()).contains("Junos:", "Hostname: " + junos);
        versions.forEach(result -> assertThat(result.path("result").asBoolean()).isTrue());

        assertThat(runCommand("show chassis hardware", junos).get(0).path("response").asText())
                .contains("Routing Engine 0");
        JsonNode invalid = runCommand("show chassis hardware", ios).get(0);
        assertThat(invalid.path("result").asBoolean()).isFalse();
        assertThat(invalid.path("response").asText()).contains("% Invalid input detected at '^' marker.");

        int ran = sandbox.commandsRun().size();
        Reply unknown = post("/mop/RunCommandDevices", JSON.createObjectNode().put("command", "show version")
                .set("devices", JSON.createArrayNode().add(ios).add("no-such-device")));
        assertThat(unknown.status()).isEqualTo(500);
        assertThat(unknown.body()).isEqualTo("Device no-such-device not found");
        assertThat(sandbox.commandsRun()).hasSize(ran);
        assertThat(sandbox.commandsRun().get(0)).isEqualTo(new ItentialSandbox.DeviceCommand(ios, "show version"));
    }

    @Test
    void runCommandTemplateEvaluatesEachRuleAgainstTheOutput() throws IOException {
        JsonNode templates = get("/mop/listTemplates").json();
        assertThat(templates.size()).isEqualTo(5);
        assertThat(get("/mop/listATemplate/IOS Show Version").json().get(0).path("os").asText()).isEqualTo("cisco-ios");
        assertThat(get("/mop/listATemplate/nothing").json().size()).isZero();

        String ios = deviceOf("cisco-ios");
        String junos = deviceOf("juniper-junos");
        ObjectNode body = JSON.createObjectNode().put("template", "IOS Show Version");
        body.putArray("devices").add(ios).add(junos);
        JsonNode result = post("/mop/RunCommandTemplate", body).json();
        assertThat(result.path("name").asText()).isEqualTo("IOS Show Version");
        assertThat(result.path("all_pass_flag").asBoolean()).isFalse();
        JsonNode onIos = result.path("command_results").get(0);
        assertThat(onIos.path("device").asText()).isEqualTo(ios);
        assertThat(onIos.path("result").asBoolean()).isTrue();
        assertThat(onIos.path("rules").findValuesAsText("eval")).containsExactly("contains", "RegEx");
        onIos.path("rules").forEach(rule -> assertThat(rule.path("result").asBoolean()).isTrue());
        JsonNode onJunos = result.path("command_results").get(1);
        assertThat(onJunos.path("result").asBoolean()).isFalse();
        assertThat(onJunos.path("rules").get(0).path("result").asBoolean()).isFalse();

        ObjectNode reach = JSON.createObjectNode().put("template", "IOS Reachability");
        reach.putArray("devices").add(ios);
        reach.putObject("variables").put("target", "192.0.2.10");
        JsonNode reachable = post("/mop/RunCommandTemplate", reach).json();
        assertThat(reachable.path("command_results").get(0).path("evaluated").asText()).isEqualTo("ping 192.0.2.10");
        assertThat(reachable.path("all_pass_flag").asBoolean()).isTrue();
        reach.putObject("variables").put("target", "203.0.113.10");
        assertThat(post("/mop/RunCommandTemplate", reach).json().path("all_pass_flag").asBoolean()).isFalse();
    }

    @Test
    void deviceSearchPagesThroughAllDevicesByReturnCount() throws IOException {
        Set<String> names = new HashSet<>();
        int start = 0;
        int matches;
        do {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("options").put("start", start).put("limit", 100);
            JsonNode page = post("/configuration_manager/devices", body).json();
            matches = page.path("return_count").asInt();
            assertThat(page.path("start_index").asInt()).isEqualTo(start);
            page.path("list").forEach(device -> names.add(device.path("name").asText()));
            start += 100;
        } while (names.size() < matches && start < 1000);
        assertThat(matches).isEqualTo(250);
        assertThat(names).hasSize(250).containsExactlyInAnyOrderElementsOf(sandbox.deviceNames());

        ObjectNode routers = JSON.createObjectNode();
        routers.putObject("options").put("limit", 100).putObject("filter").put("name", "rtr");
        JsonNode found = post("/configuration_manager/devices", routers).json();
        assertThat(found.path("return_count").asInt()).isEqualTo(150);
        found.path("list").forEach(device -> assertThat(device.path("name").asText()).startsWith("rtr-"));

        ObjectNode tooMany = JSON.createObjectNode();
        tooMany.putObject("options").put("limit", 101);
        assertThat(post("/configuration_manager/devices", tooMany).status()).isEqualTo(400);
    }

    @Test
    void aDeviceAndItsConfigurationAreServedAndAnUnknownDeviceIsA404() throws IOException {
        String name = sandbox.deviceNames().get(0);
        JsonNode device = get("/configuration_manager/devices/" + name).json();
        assertThat(device.path("name").asText()).isEqualTo(name);
        assertThat(device.path("port").asText()).isEqualTo("22");
        JsonNode config = get("/configuration_manager/devices/" + name + "/configuration").json();
        assertThat(config.path("device").asText()).isEqualTo(name);
        assertThat(config.path("config").asText()).contains(name).contains("\n");

        Reply unknown = get("/configuration_manager/devices/no-such-device");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).isEqualTo("Device not found");
    }

    @Test
    void theRequestLogMasksThePasswordAndEveryToken() throws IOException {
        String bearer = oauth("client_credentials", sandbox.clientId(), sandbox.clientSecret()).json()
                .path("access_token").asText();
        send(new Request.Builder().url(url("/whoami").build()).header("Authorization", "Bearer " + bearer).build());
        get("/whoami");
        send(new Request.Builder().url(url("/whoami").addQueryParameter("p", sandbox.password()).build()).build());

        List<LoggedRequest> log = sandbox.requests();
        assertThat(log).extracting(LoggedRequest::toString).anyMatch(line -> line.contains("token=****"));
        for (LoggedRequest entry : log) {
            String everything = entry.pathAndQuery() + entry.headers();
            assertThat(everything).doesNotContain(token, token.replace("=", ""), bearer, sandbox.password(), sandbox.clientSecret());
        }
        assertThat(log).filteredOn(entry -> entry.rawPath().equals("/whoami"))
                .allMatch(entry -> entry.header("authorization").map(v -> v.equals("Bearer ****")).orElse(true));
    }
}
