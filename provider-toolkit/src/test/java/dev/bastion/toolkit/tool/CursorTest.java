package dev.bastion.toolkit.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void aCursorCarriesTheBackendsPageKeyBackToTheSameTool() {
        String cursor = Cursor.encode("acme_list", "page=2&after=x/y+z");
        assertThat(cursor).matches("^[A-Za-z0-9_-]+$");
        assertThat(Cursor.decode("acme_list", "next_page", cursor)).isEqualTo("page=2&after=x/y+z");
    }

    @Test
    void aForgedCursorIsAClearArgumentError() {
        for (String forged : new String[] {"abc", "eyJ0IjoxfQ", Base64.getUrlEncoder().encodeToString(
                "{\"t\":\"acme_list\"}".getBytes(StandardCharsets.UTF_8)), "!!!"}) {
            assertThatThrownBy(() -> Cursor.decode("acme_list", "next_page", forged))
                    .isInstanceOf(InvalidArgument.class)
                    .hasMessage("Invalid argument next_page: is not a cursor that acme_list returned; pass next_page"
                            + " unchanged, or call the tool again without it.");
        }
    }

    @Test
    void aCursorOfAnotherToolIsRefused() {
        String other = Cursor.encode("acme_list_users", "k");
        assertThatThrownBy(() -> Cursor.decode("acme_list", "next_page", other))
                .isInstanceOf(InvalidArgument.class)
                .hasMessageContaining("is a cursor of another tool");
    }
}
