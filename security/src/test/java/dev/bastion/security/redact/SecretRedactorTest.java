package dev.bastion.security.redact;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class SecretRedactorTest {

    private static final String API_TOKEN =
            "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private static final String PLATFORM_TOKEN =
            "dt0s16.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String CLIENT_SECRET =
            "dt0s02.AAAAAAAA.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXBhcnQtd2l0aC1zb21lLWJ5dGVz";
    private static final String SECRET = "s3cr3t-Pl4nted-Value!";

    private final SecretRedactor redactor = new SecretRedactor();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            token dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM here | token dt0c01.[REDACTED] here
            dt0s16.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 | dt0s16.[REDACTED]
            client dt0s02.AAAAAAAA.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 ok | client dt0s02.[REDACTED] ok
            client id dt0s02.AAAAAAAA | client id dt0s02.[REDACTED]
            Authorization: Api-Token dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM | Authorization: Api-Token dt0c01.[REDACTED]
            Authorization: Api-Token abcdef0123456789 | Authorization: Api-Token [REDACTED]
            Authorization: Bearer abc.DEF-ghi_123456 | Authorization: Bearer [REDACTED]
            authorization: bearer Zm9vYmFyYmF6cXV4 | authorization: bearer [REDACTED]
            Authorization: Basic dXNlcjpwYXNzd29yZA== | Authorization: Basic [REDACTED]
            jwt=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl end | jwt=[REDACTED] end
            password=hunter2 and more | password=[REDACTED] and more
            PASSWORD=hunter2 | PASSWORD=[REDACTED]
            db_password: hunter2 | db_password: [REDACTED]
            secret = abc123 | secret = [REDACTED]
            client_secret=abc123&grant_type=client_credentials | client_secret=[REDACTED]&grant_type=client_credentials
            https://host/api?token=abc123&page=2 | https://host/api?token=[REDACTED]&page=2
            api_key=AKIA1234 | api_key=[REDACTED]
            x-api-key: AKIA1234 | x-api-key: [REDACTED]
            apikey='AKIA 1234' | apikey='[REDACTED]'
            https://admin:hunter2@db.example.com/x | https://[REDACTED]@db.example.com/x
            ftp://user@files.example.com | ftp://[REDACTED]@files.example.com
            key sk-ant-api03-AbCdEf0123456789_xyz-QQ | key sk-ant-[REDACTED]
            oci ST$eyJraWQiOiJhc3dfb2MxX2E.xyz+/= done | oci ST$[REDACTED] done
            """)
    void redactsCredentialShapes(String input, String expected) {
        assertThat(redactor.redact(input)).isEqualTo(expected);
    }

    @Test
    void redactsJsonMembersKeepingTheKeyAndValidJson() throws Exception {
        String json = "{\"user\":\"alice\",\"Password\": \"hunter2\",\"client_secret\":\"a\\\"b\",\"token\":null,"
                + "\"access_token\" : \"xyz987\"}";

        String redacted = redactor.redact(json);

        assertThat(redacted).isEqualTo("{\"user\":\"alice\",\"Password\": \"[REDACTED]\",\"client_secret\":\"[REDACTED]\","
                + "\"token\":null,\"access_token\" : \"[REDACTED]\"}");
        assertThat(new ObjectMapper().readTree(redacted).get("user").asText()).isEqualTo("alice");
    }

    @Test
    void redactsMembersOfJsonEscapedInsideAString() {
        String logged = "body=\"{\\\"user\\\":\\\"alice\\\",\\\"password\\\":\\\"hunter2\\\"}\"";

        assertThat(redactor.redact(logged))
                .isEqualTo("body=\"{\\\"user\\\":\\\"alice\\\",\\\"password\\\":\\\"[REDACTED]\\\"}\"");
    }

    @Test
    void redactsUnterminatedQuotedValuesToTheEndOfTheLine() {
        assertThat(redactor.redact("{\"password\": \"hunter2 truncated\nnext line"))
                .isEqualTo("{\"password\": \"[REDACTED]\nnext line");
    }

    @Test
    void redactsVeryLongTokensCompletely() {
        String longJwt = "eyJhbGciOiJSUzI1NiJ9." + "A".repeat(50_000) + ".sig";
        String longBearer = "Bearer abc1" + "x".repeat(50_000);

        assertThat(redactor.redact(longJwt + " end")).isEqualTo("[REDACTED] end");
        assertThat(redactor.redact(longBearer + " end")).isEqualTo("Bearer [REDACTED] end");
    }

    @Test
    void handlesTextsFullOfFalseAnchorsInOnePass() {
        // Each "eyJ" starts a candidate inside the same base64url run; the run is measured once.
        String anchors = "eyJ".repeat(300_000);
        String quotes = "password=\"".repeat(1) + "token=x ".repeat(100_000);

        assertThat(redactor.redact(anchors)).isSameAs(anchors);
        assertThat(redactor.redact(quotes)).isEqualTo("password=\"[REDACTED]");
    }

    @Test
    void warnsAboutShortSecretsNamingOnlyTheLength() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(SecretRedactor.class);
        logger.addAppender(appender);
        try {
            redactor.registerSecret("xq7");
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("length 3").doesNotContain("xq7");
        });
    }

    @Test
    void redactsWholePemPrivateKeyBlock() {
        String text = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcdEFGH\n"
                + "-----END RSA PRIVATE KEY-----\nafter";

        assertThat(redactor.redact(text)).isEqualTo("before\n[REDACTED]\nafter");
    }

    @Test
    void redactsTruncatedPemPrivateKeyToTheEnd() {
        String text = "key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC";

        assertThat(redactor.redact(text)).isEqualTo("key: [REDACTED]");
    }

    @Test
    void keepsPemCertificatesAndPublicKeys() {
        String text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

        assertThat(redactor.redact(text)).isSameAs(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "The quick brown fox jumps over the lazy dog; data, tests, passes, tokens and secrets.",
        "request 3f2a9c1b-0d4e-4a5b-9c6d-7e8f90a1b2c3 finished in 12 ms",
        "entity HOST-1234567890ABCDEF is healthy",
        "use a Bearer token for authentication",
        "Basic authentication is disabled",
        "the api-token header is missing",
        "max_tokens=1000 tokens: 12",
        "see https://docs.dynatrace.com/docs/manage/access-control and mailto:ops@example.com",
        "dt0c01 is the prefix of classic API tokens",
        "eyJ alone is not a token",
        "{\"secret\": {\"type\": \"string\"}, \"token\": 5, \"password\": true}",
        "password= ",
        "ST$ alone",
        "sk-ant- is the prefix",
        "2026-11-22T02:35:23Z INFO dev.bastion.Server started on 127.0.0.1:8080 with user@host",
    })
    void leavesOrdinaryTextUntouched(String text) {
        assertThat(redactor.redact(text)).isSameAs(text);
    }

    @Test
    void redactsRegisteredSecretAndItsDerivedForms() {
        redactor.registerSecret(SECRET);
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        String standard = Base64.getEncoder().encodeToString(bytes);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String urlEncoded = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);

        assertThat(redactor.redact("plain " + SECRET + " end")).isEqualTo("plain [REDACTED] end");
        assertThat(redactor.redact("b64 " + standard + " end")).isEqualTo("b64 [REDACTED] end");
        assertThat(redactor.redact("b64url " + urlSafe + " end")).isEqualTo("b64url [REDACTED] end");
        assertThat(redactor.redact("q=" + urlEncoded + "&x=1")).isEqualTo("q=[REDACTED]&x=1");
        assertThat(redactor.redact("Authorization: Bearer " + SECRET)).isEqualTo("Authorization: Bearer [REDACTED]");
        assertThat(redactor.redact("Authorization: Api-Token " + SECRET))
                .isEqualTo("Authorization: Api-Token [REDACTED]");
        assertThat(redactor.redact(SECRET + SECRET)).isEqualTo("[REDACTED][REDACTED]");
    }

    @Test
    void redactsRegisteredSecretWithoutAnyRecognisableShape() {
        redactor.registerSecret("correcthorsebatterystaple");

        assertThat(redactor.redact("the word is correcthorsebatterystaple."))
                .isEqualTo("the word is [REDACTED].");
    }

    @Test
    void prefersTheLongestRegisteredSecret() {
        redactor.registerSecret("abcd");
        redactor.registerSecret("abcdefgh");

        assertThat(redactor.redact("xabcdefghx")).isEqualTo("x[REDACTED]x");
    }

    @Test
    void ignoresRegisteredSecretsShorterThanFourCharacters() {
        redactor.registerSecret("abc");
        redactor.registerSecret("");

        assertThat(redactor.registeredFormCount()).isZero();
        assertThat(redactor.redact("abc abc")).isEqualTo("abc abc");
    }

    @Test
    void redactsEverySecretInALargeText() {
        redactor.registerSecret(SECRET);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("line ").append(i).append(" user=alice status=200 took 12ms\n");
            if (i % 500 == 0) {
                text.append("leak ").append(SECRET).append(' ').append(API_TOKEN).append(' ').append(JWT)
                        .append(" password=hunter2\n");
            }
        }

        String redacted = redactor.redact(text.toString());

        assertThat(redacted).doesNotContain(SECRET, API_TOKEN.substring(7), JWT, "hunter2")
                .contains("line 1999 user=alice status=200 took 12ms");
    }

    @Test
    void registeringWhileOtherThreadsRedactIsSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (int t = 0; t < 3; t++) {
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2000; i++) {
                        assertThat(redactor.redact("password=x" + i)).isEqualTo("password=[REDACTED]");
                    }
                    return null;
                }));
            }
            tasks.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    redactor.registerSecret("registered-secret-" + i);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(redactor.redact("registered-secret-199 and registered-secret-0"))
                .isEqualTo("[REDACTED] and [REDACTED]");
    }

    @Test
    void redactsEveryStringOfAJsonTreeIntoANewTree() throws Exception {
        redactor.registerSecret(SECRET);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tree = mapper.readTree("{\"query\":\"fetch logs\",\"nested\":{\"list\":[\"" + SECRET + "\",1,true,null]},"
                + "\"client_secret\":\"plain-looking\",\"apiToken\":\"xyz\",\"header\":\"Bearer " + JWT + "\","
                + "\"count\":5}");

        JsonNode redacted = redactor.redact(tree);

        assertThat(mapper.writeValueAsString(redacted)).isEqualTo("{\"query\":\"fetch logs\",\"nested\":{\"list\":"
                + "[\"[REDACTED]\",1,true,null]},\"client_secret\":\"[REDACTED]\",\"apiToken\":\"[REDACTED]\","
                + "\"header\":\"Bearer [REDACTED]\",\"count\":5}");
        assertThat(tree.toString()).contains(SECRET);
    }

    @Test
    void keepsPlatformTokenPrefixOnly() {
        assertThat(redactor.redact(PLATFORM_TOKEN)).isEqualTo("dt0s16.[REDACTED]");
        assertThat(redactor.redact(CLIENT_SECRET)).isEqualTo("dt0s02.[REDACTED]");
    }
}
