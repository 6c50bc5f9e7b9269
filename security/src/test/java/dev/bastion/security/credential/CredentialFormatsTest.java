package dev.bastion.security.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.spi.FormatCheck;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialFormatsTest {

    private static final String PUBLIC_24 = "ST2EY72KQINMH574WMNVI7YN";
    private static final String SECRET_64 = "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private static final String API_TOKEN = "dt0c01." + PUBLIC_24 + "." + SECRET_64;
    private static final String PLATFORM_TOKEN = "dt0s16." + PUBLIC_24 + "." + SECRET_64;
    private static final String CLIENT_ID = "dt0s02.AB3DEF7H";
    private static final String CLIENT_SECRET = CLIENT_ID + "." + SECRET_64;
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    @Test
    void acceptsEachKindInItsPlace() {
        assertThat(CredentialFormats.DYNATRACE_API_TOKEN.check("DT_API_TOKEN", API_TOKEN)).isEmpty();
        assertThat(CredentialFormats.DYNATRACE_PLATFORM_TOKEN.check("DT_PLATFORM_TOKEN", PLATFORM_TOKEN)).isEmpty();
        assertThat(CredentialFormats.DYNATRACE_OAUTH_CLIENT_ID.check("OAUTH_CLIENT_ID", CLIENT_ID)).isEmpty();
        assertThat(CredentialFormats.DYNATRACE_OAUTH_CLIENT_ID.check("OAUTH_CLIENT_ID", "dt0s04.AAAAAAAA")).isEmpty();
        assertThat(CredentialFormats.DYNATRACE_OAUTH_CLIENT_SECRET.check("OAUTH_CLIENT_SECRET", CLIENT_SECRET))
                .isEmpty();
        assertThat(CredentialFormats.DYNATRACE_API_TOKEN.check("DT_API_TOKEN", API_TOKEN.toLowerCase())).isEmpty();
    }

    @Test
    void namesTheMixUpWithoutTheValue() {
        assertProblem(CredentialFormats.DYNATRACE_API_TOKEN, CLIENT_ID,
                "DT_API_TOKEN looks like an OAuth client id (dt0s02); expected an API token (dt0c01)");
        assertProblem(CredentialFormats.DYNATRACE_API_TOKEN, PLATFORM_TOKEN,
                "DT_API_TOKEN looks like a platform token (dt0s16); expected an API token (dt0c01)");
        assertProblem(CredentialFormats.DYNATRACE_PLATFORM_TOKEN, API_TOKEN,
                "DT_API_TOKEN looks like an API token (dt0c01); expected a platform token (dt0s16)");
        assertProblem(CredentialFormats.DYNATRACE_OAUTH_CLIENT_ID, CLIENT_SECRET,
                "DT_API_TOKEN looks like an OAuth client secret (dt0s02); expected an OAuth client id (dt0s02)");
        assertProblem(CredentialFormats.DYNATRACE_OAUTH_CLIENT_SECRET, CLIENT_ID,
                "DT_API_TOKEN looks like an OAuth client id (dt0s02); expected an OAuth client secret (dt0s02)");
        assertProblem(CredentialFormats.DYNATRACE_API_TOKEN, "dt0s01." + PUBLIC_24 + "." + SECRET_64,
                "DT_API_TOKEN looks like an account API token (dt0s01); expected an API token (dt0c01)");
        assertProblem(CredentialFormats.DYNATRACE_PLATFORM_TOKEN, "dt0s06." + PUBLIC_24 + "." + SECRET_64,
                "DT_API_TOKEN looks like an OAuth refresh token (dt0s06); expected a platform token (dt0s16)");
        assertProblem(CredentialFormats.DYNATRACE_PLATFORM_TOKEN, JWT,
                "DT_API_TOKEN looks like a JWT (an OAuth access token); expected a platform token (dt0s16)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `  dt0c01.x  ` | DT_API_TOKEN has leading or trailing whitespace; remove it
            `"secretvalue"` | DT_API_TOKEN is wrapped in quotes; set the value without them
            `'secretvalue'` | DT_API_TOKEN is wrapped in quotes; set the value without them
            `Bearer secretvalue` | DT_API_TOKEN starts with the Authorization scheme 'Bearer'; set only the credential itself
            `Api-Token secretvalue` | DT_API_TOKEN starts with the Authorization scheme 'Api-Token'; set only the credential itself
            `secret value` | DT_API_TOKEN contains whitespace; a credential is a single word
            ` ` | DT_API_TOKEN is empty
            """)
    void spotsPastingMistakes(String value, String expected) {
        assertProblem(CredentialFormats.NO_WHITESPACE, value, expected);
        assertProblem(CredentialFormats.DYNATRACE_API_TOKEN, value, expected);
    }

    @Test
    void reportsRightPrefixWithWrongShape() {
        String truncated = API_TOKEN.substring(0, 50);

        assertProblem(CredentialFormats.DYNATRACE_API_TOKEN, truncated,
                "DT_API_TOKEN has the prefix of an API token (dt0c01) but not its shape "
                        + "dt0c01.<24 characters>.<64 characters> (the value has 50 characters)");
    }

    @Test
    void reportsUnrecognisedValues() {
        assertProblem(CredentialFormats.DYNATRACE_API_TOKEN, "hunter2hunter2",
                "DT_API_TOKEN is not an API token (dt0c01); expected the shape dt0c01.<24 characters>.<64 characters>");
    }

    @Test
    void genericChecksAndCombination() {
        assertThat(CredentialFormats.NOT_BLANK.check("X", "value")).isEmpty();
        assertThat(CredentialFormats.NOT_BLANK.check("X", "  ")).contains("X is empty");
        assertThat(CredentialFormats.NO_WHITESPACE.check("X", "a-b_c.d")).isEmpty();
        FormatCheck both = CredentialFormats.allOf(CredentialFormats.NOT_BLANK, CredentialFormats.NO_WHITESPACE);
        assertThat(both.check("X", "a b")).contains("X contains whitespace; a credential is a single word");
        assertThat(both.check("X", "")).contains("X is empty");
    }

    private static void assertProblem(FormatCheck check, String value, String expected) {
        Optional<String> problem = check.check("DT_API_TOKEN", value);
        assertThat(problem).contains(expected);
        if (value.strip().length() >= 4) {
            assertThat(problem.orElseThrow()).doesNotContain(value.strip().substring(value.strip().length() - 4));
        }
    }
}
