package dev.bastion.security.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the redactor: a registered secret planted anywhere in fuzzed text,
 * as itself or in one of its encoded forms, never survives, and the output is never longer than a
 * bound linear in the input (each mask replaces at least one character and needs an anchor of
 * several more, so hostile text cannot make the output grow without limit).
 *
 * <p>The planted secrets contain no {@code [} or {@code ]} and are longer than the mask, so an
 * occurrence in the output can only be one the redactor left standing, never one made of the mask
 * and the text beside it.
 *
 * <p>In a normal build the fuzz test replays its corpus ({@code SecretRedactorFuzzTestInputs/});
 * with {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
class SecretRedactorFuzzTest {

    private static final List<String> SECRETS = List.of(
            "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123",
            "hunter2-planted-Pa55!word",
            "k9 x;&=+/?%plantedwith spaces",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlLXBsYW50ZWQ",
            "pässwört-plänted-ß-秘密",
            "0123456789planted");

    private static final SecretRedactor REDACTOR = SecretRedactor.withSecrets(SECRETS);

    /** How much one mask may add to the text it replaces: it replaces at least one character. */
    private static final int GROWTH_PER_MASK = SecretRedactor.MASK.length() - 1;
    /**
     * The fewest input characters each mask needs: its anchor and separator and at least one
     * redacted character ({@code a://x@}, {@code token=x} and friends).
     */
    private static final int CHARACTERS_PER_MASK = 5;

    @FuzzTest
    void plantedSecretNeverSurvivesAndOutputStaysBounded(FuzzedDataProvider data) {
        String secret = SECRETS.get(data.consumeInt(0, SECRETS.size() - 1));
        int form = data.consumeInt(0, 4);
        String planted = forms(secret).get(form);
        String before = data.consumeString(2000);
        String after = data.consumeRemainingAsString();
        String text = before + planted + after;

        String redacted = REDACTOR.redact(text);

        for (String secretForm : forms(secret)) {
            assertThat(redacted).as("form %s of a registered secret in %s", secretForm, text)
                    .doesNotContain(secretForm);
        }
        assertThat(redacted.length()).as("length of the redaction of %s", text)
                .isLessThanOrEqualTo(bound(text.length()));
    }

    /**
     * Issue 9 item 4: a registered secret echoed in another letter case (an upper-cased token in a
     * backend's problem title) is a secret too. Upper case, lower case, or ASCII letters flipped by
     * the fuzzer.
     */
    @FuzzTest
    void plantedSecretInAnyLetterCaseNeverSurvives(FuzzedDataProvider data) {
        String secret = SECRETS.get(data.consumeInt(0, SECRETS.size() - 1));
        int variant = data.consumeInt(0, 2);
        long flips = data.consumeLong();
        String planted = switch (variant) {
            case 0 -> secret.toUpperCase(Locale.ROOT);
            case 1 -> secret.toLowerCase(Locale.ROOT);
            default -> flipAsciiCase(secret, flips);
        };
        String text = data.consumeString(2000) + planted + data.consumeRemainingAsString();

        String redacted = REDACTOR.redact(text);

        assertThat(redacted).as("%s, a case form of a registered secret, in %s", planted, text).doesNotContain(planted);
    }

    private static String flipAsciiCase(String value, long flips) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean flip = (flips >>> (i % 64) & 1) != 0;
            if (flip && c >= 'a' && c <= 'z') {
                out.append((char) (c - 32));
            } else if (flip && c >= 'A' && c <= 'Z') {
                out.append((char) (c + 32));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Text with nothing planted: redaction never throws and never grows past the bound. */
    @FuzzTest
    void anyTextRedactsWithinTheBound(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        String redacted = REDACTOR.redact(text);

        assertThat(redacted.length()).isLessThanOrEqualTo(bound(text.length()));
        for (String secret : SECRETS) {
            for (String secretForm : forms(secret)) {
                assertThat(redacted).doesNotContain(secretForm);
            }
        }
    }

    private static int bound(int length) {
        return length + GROWTH_PER_MASK * ((length + CHARACTERS_PER_MASK - 1) / CHARACTERS_PER_MASK);
    }

    /** The forms the redactor promises to catch: the value, Base64, URL-safe Base64 without padding, URL-encoded. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret,
                Base64.getEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                URLEncoder.encode(secret, StandardCharsets.UTF_8),
                URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    @Test
    void plantedSecretsAreLongerThanTheMaskAndHoldNoBracket() {
        for (String secret : SECRETS) {
            for (String form : forms(secret)) {
                assertThat(form).hasSizeGreaterThan(SecretRedactor.MASK.length()).doesNotContain("[", "]");
            }
        }
    }

    /** The bound is tight enough to mean something: short credential values do make the text grow. */
    @Test
    void shortCredentialValuesGrowTheTextWithinTheBound() {
        String text = "a://x@ ".repeat(100);

        String redacted = REDACTOR.redact(text);

        assertThat(redacted.length()).isGreaterThan(text.length()).isLessThanOrEqualTo(bound(text.length()));
    }
}
