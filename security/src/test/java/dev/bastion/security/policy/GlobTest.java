package dev.bastion.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starMatchesAnyRunIncludingSlashesAndSpaces() {
        assertThat(Glob.compile("dynatrace_managed_*").matches("dynatrace_managed_list_problems")).isTrue();
        assertThat(Glob.compile("dynatrace_managed_*").matches("dynatrace_platform_x")).isFalse();
        assertThat(Glob.compile("show *").matches("show ip route 10.0.0.0/8")).isTrue();
        assertThat(Glob.compile("*").matches("")).isTrue();
    }

    @Test
    void questionMarkAndClassesMatchOneCharacter() {
        assertThat(Glob.compile("[0-9]*").matches("42")).isTrue();
        assertThat(Glob.compile("[0-9]*").matches("x42")).isFalse();
        assertThat(Glob.compile("[!0-9]*").matches("x42")).isTrue();
        assertThat(Glob.compile("v?").matches("v1")).isTrue();
        assertThat(Glob.compile("v?").matches("v12")).isFalse();
        assertThat(Glob.compile("[a_]x").matches("_x")).isTrue();
    }

    @Test
    void otherCharactersAreLiteral() {
        assertThat(Glob.compile("a.b").matches("a.b")).isTrue();
        assertThat(Glob.compile("a.b").matches("axb")).isFalse();
        assertThat(Glob.compile("-n").matches("-n")).isTrue();
        assertThat(Glob.compile("(x)+").matches("(x)+")).isTrue();
        assertThat(Glob.compile("\\d").matches("\\d")).isTrue();
        assertThat(Glob.compile("\\d").matches("5")).isFalse();
    }

    @Test
    void ignoreCaseWhenAsked() {
        assertThat(Glob.compile("show *", true).matches("SHOW VERSION")).isTrue();
        assertThat(Glob.compile("show *").matches("SHOW VERSION")).isFalse();
    }

    @Test
    void unclosedClassIsAClearError() {
        assertThatThrownBy(() -> Glob.compile("oci_[a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern 'oci_[a' has a '[' without a closing ']'");
    }
}
