package dev.bastion.security.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.CredentialShape;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    private static final String VENDOR_PUBLIC = "PUBLICPART0000000000001";
    private static final String VENDOR_SECRET = "SECRETPART000000000000000000000000000000000001";
    private static final String VENDOR_TOKEN = "vnd1." + VENDOR_PUBLIC + "." + VENDOR_SECRET;
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXBhcnQtd2l0aC1zb21lLWJ5dGVz";
    private static final String SECRET = "s3cr3t-Pl4nted-Value!";

    private final SecretRedactor redactor = new SecretRedactor();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
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
        redactor.registerShapes(List.of(VendorShape.TOKEN));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("line ").append(i).append(" user=alice status=200 took 12ms\n");
            if (i % 500 == 0) {
                text.append("leak ").append(SECRET).append(' ').append(VENDOR_TOKEN).append(' ').append(JWT)
                        .append(" password=hunter2\n");
            }
        }

        String redacted = redactor.redact(text.toString());

        assertThat(redacted).doesNotContain(SECRET, VENDOR_TOKEN.substring(5), JWT, "hunter2")
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
    void redactsADeclaredShapeInAnyCaseKeepingItsPrefix() {
        redactor.registerShapes(List.of(VendorShape.TOKEN));

        assertThat(redactor.redact("token " + VENDOR_TOKEN + " here")).isEqualTo("token vnd1.[REDACTED] here");
        assertThat(redactor.redact("id vnd1." + VENDOR_PUBLIC)).isEqualTo("id vnd1.[REDACTED]");
        assertThat(redactor.redact("ECHO " + VENDOR_TOKEN.toUpperCase(Locale.ROOT)))
                .isEqualTo("ECHO VND1.[REDACTED]");
        assertThat(redactor.redact("echo " + VENDOR_TOKEN.toLowerCase(Locale.ROOT)))
                .isEqualTo("echo vnd1.[REDACTED]");
        assertThat(redactor.redact("vnd1 is the prefix, vnd1.short too")).isEqualTo("vnd1 is the prefix, vnd1.short too");
    }

    @Test
    void keepsTheDeclaredPrefixOfAValueAfterAnAuthorizationScheme() {
        redactor.registerShapes(List.of(VendorShape.TOKEN));

        assertThat(redactor.redact("Authorization: Api-Token " + VENDOR_TOKEN))
                .isEqualTo("Authorization: Api-Token vnd1.[REDACTED]");
        assertThat(redactor.redact("token=" + VENDOR_TOKEN + "&x=1")).isEqualTo("token=vnd1.[REDACTED]&x=1");
    }

    @Test
    void theSameShapeDeclaredTwiceIsHarmless() {
        CredentialShape sameBehaviour = new CredentialShape("vendor-token-again", "vnd", VendorShape::match);
        redactor.registerShapes(List.of(VendorShape.TOKEN));
        redactor.registerShapes(List.of(VendorShape.TOKEN, sameBehaviour));

        assertThat(redactor.registeredShapeCount()).isEqualTo(2);
        assertThat(redactor.redact("a " + VENDOR_TOKEN + " b")).isEqualTo("a vnd1.[REDACTED] b");
    }

    @Test
    void overlappingShapesAgreeOnTheLongestMatchAndTheShorterPrefix() {
        CredentialShape publicOnly = new CredentialShape("public-only", "VND1.", (text, start) ->
                Optional.of(CredentialShape.Match.of(start + 5 + VENDOR_PUBLIC.length(), 0)));
        redactor.registerShapes(List.of(publicOnly, VendorShape.TOKEN));

        assertThat(redactor.redact("a " + VENDOR_TOKEN + " b")).isEqualTo("a vnd1.[REDACTED] b");
        assertThat(redactor.redact("a vnd1." + VENDOR_PUBLIC + " b")).isEqualTo("a [REDACTED] b");
    }

    @Test
    void aMatcherThatAnswersNonsenseNeitherBreaksTheScanNorRevealsTheMatch() {
        CredentialShape beyondTheText = new CredentialShape("beyond", "zzq", (text, start) ->
                Optional.of(CredentialShape.Match.of(text.length() + 10, 0)));
        CredentialShape keepsEverything = new CredentialShape("keeps-all", "qqz", (text, start) ->
                Optional.of(CredentialShape.Match.of(start + 8, 50)));
        redactor.registerShapes(List.of(beyondTheText, keepsEverything));

        assertThat(redactor.redact("x zzq1234 y")).isEqualTo("x zzq1234 y");
        assertThat(redactor.redact("x qqz12345 y")).isEqualTo("x [REDACTED] y");
    }

    @Test
    void rejectsAnchorsTooShortForTheScan() {
        assertThatThrownBy(() -> new CredentialShape("short", "ab", (text, start) -> Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the anchor of credential shape short must have at least 3 characters");
    }

    @Test
    void redactsThePartialFormsOfARegisteredSecretWithADeclaredShape() {
        redactor.registerShapes(List.of(VendorShape.TOKEN));
        redactor.registerSecret(VENDOR_TOKEN);

        assertThat(redactor.redact("secret part " + VENDOR_SECRET + " alone")).isEqualTo("secret part [REDACTED] alone");
        assertThat(redactor.redact("no prefix " + VENDOR_PUBLIC + "." + VENDOR_SECRET + " end"))
                .isEqualTo("no prefix [REDACTED] end");
        assertThat(redactor.redact("upper " + VENDOR_TOKEN.toUpperCase(Locale.ROOT)))
                .isEqualTo("upper [REDACTED]");
        assertThat(redactor.redact("lower " + VENDOR_SECRET.toLowerCase(Locale.ROOT) + "!"))
                .isEqualTo("lower [REDACTED]!");
        String base64 = Base64.getEncoder().encodeToString(VENDOR_SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(redactor.redact("b64 " + base64)).isEqualTo("b64 [REDACTED]");
    }

    @Test
    void shapesDeclaredAfterASecretStillRevealItsPartialForms() {
        redactor.registerSecret(VENDOR_TOKEN);
        assertThat(redactor.redact(VENDOR_SECRET)).isEqualTo(VENDOR_SECRET);

        redactor.registerShapes(List.of(VendorShape.TOKEN));

        assertThat(redactor.redact(VENDOR_SECRET)).isEqualTo("[REDACTED]");
    }

    @Test
    void matchesRegisteredSecretsWithoutRegardToCase() {
        redactor.registerSecret(SECRET);

        assertThat(redactor.redact("Unknown tool: " + SECRET.toUpperCase(Locale.ROOT)))
                .isEqualTo("Unknown tool: [REDACTED]");
        assertThat(redactor.redact("x" + SECRET.toLowerCase(Locale.ROOT) + "x")).isEqualTo("x[REDACTED]x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            EYJHBGCIOIJSUZI1NIJ9.EYJZDWIIOIJHBGLJZSJ9.C2LNBMF0DXJL end | [REDACTED] end
            KEY SK-ANT-API03-ABCDEF0123456789_XYZ-QQ | KEY SK-ANT-[REDACTED]
            oci st$eyjraWQiOiJhc3dfb2MxX2E.xyz done | oci st$[REDACTED] done
            """)
    void matchesItsOwnShapesWithoutRegardToCase(String input, String expected) {
        assertThat(redactor.redact(input)).isEqualTo(expected);
    }

    @Test
    void redactsALowerCasedPemPrivateKeyBlock() {
        String text = "-----begin rsa private key-----\nMIIE\n-----end rsa private key----- after";

        assertThat(redactor.redact(text)).isEqualTo("[REDACTED] after");
    }

    /** A vendor's token shape as a provider would declare it: {@code vnd1.PUBLIC.SECRET}, keeping {@code vnd1.}. */
    static final class VendorShape {
        static final CredentialShape TOKEN = new CredentialShape("vendor-token", "vnd", VendorShape::match);

        static Optional<CredentialShape.Match> match(CharSequence text, int start) {
            if (start + 5 >= text.length() || !Character.isDigit(text.charAt(start + 3)) || text.charAt(start + 4) != '.') {
                return Optional.empty();
            }
            int publicEnd = alnumEnd(text, start + 5);
            if (publicEnd - (start + 5) < 6) {
                return Optional.empty();
            }
            if (publicEnd + 1 < text.length() && text.charAt(publicEnd) == '.') {
                int secretEnd = alnumEnd(text, publicEnd + 1);
                if (secretEnd > publicEnd + 1) {
                    return Optional.of(new CredentialShape.Match(secretEnd, 5,
                            List.of(new CredentialShape.Part(publicEnd + 1 - start, secretEnd - start))));
                }
            }
            return Optional.of(CredentialShape.Match.of(publicEnd, 5));
        }

        private static int alnumEnd(CharSequence text, int from) {
            int p = from;
            while (p < text.length() && Character.isLetterOrDigit(text.charAt(p)) && text.charAt(p) < 128) {
                p++;
            }
            return p;
        }
    }
}
