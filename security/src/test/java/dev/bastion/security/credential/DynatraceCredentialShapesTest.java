package dev.bastion.security.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.security.redact.SecretRedactor;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DynatraceCredentialShapesTest {

    private static final String PUBLIC = "ST2EY72KQINMH574WMNVI7YN";
    private static final String SECRET = "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private static final String API_TOKEN = "dt0c01." + PUBLIC + "." + SECRET;

    private final SecretRedactor redactor = redactorWithShapes();

    private static SecretRedactor redactorWithShapes() {
        SecretRedactor redactor = new SecretRedactor();
        redactor.registerShapes(DynatraceCredentialShapes.ALL);
        return redactor;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            token dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM here | token dt0c01.[REDACTED] here
            dt0s16.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 | dt0s16.[REDACTED]
            client dt0s02.AAAAAAAA.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 ok | client dt0s02.[REDACTED] ok
            client id dt0s02.AAAAAAAA | client id dt0s02.[REDACTED]
            Authorization: Api-Token dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM | Authorization: Api-Token dt0c01.[REDACTED]
            TITLE DT0C01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM | TITLE DT0C01.[REDACTED]
            lower dt0c01.st2ey72kqinmh574wmnvi7yn.g3dfpbejymodidaex454m7ywbuvefowkprvmwfass64nfh52px6bndvffm572rzm | lower dt0c01.[REDACTED]
            at the end dt0c01.ST2EY72KQINMH574WMNVI7YN. | at the end dt0c01.[REDACTED].
            """)
    void redactsEveryKindOfDynatraceCredentialKeepingItsKind(String input, String expected) {
        assertThat(redactor.redact(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dt0c01 is the prefix of classic API tokens", "dt0c01.short", "dt0", "dt0c0", "dtx", "dt0c01."})
    void leavesProseAndFragmentsAlone(String text) {
        assertThat(redactor.redact(text)).isSameAs(text);
    }

    @Test
    void aRegisteredTokenIsRedactedInItsPartialForms() {
        redactor.registerSecret(API_TOKEN);

        assertThat(redactor.redact("title: " + SECRET)).isEqualTo("title: [REDACTED]");
        assertThat(redactor.redact("id " + PUBLIC + "." + SECRET)).isEqualTo("id [REDACTED]");
        assertThat(redactor.redact(API_TOKEN.toUpperCase(Locale.ROOT))).isEqualTo("[REDACTED]");
        assertThat(redactor.redact(SECRET.toLowerCase(Locale.ROOT))).isEqualTo("[REDACTED]");
    }

    @Test
    void twoProvidersDeclaringTheSameShapesRegisterThemOnce() {
        redactor.registerShapes(DynatraceCredentialShapes.ALL);

        assertThat(redactor.registeredShapeCount()).isEqualTo(1);
        assertThat(redactor.redact(API_TOKEN)).isEqualTo("dt0c01.[REDACTED]");
    }
}
