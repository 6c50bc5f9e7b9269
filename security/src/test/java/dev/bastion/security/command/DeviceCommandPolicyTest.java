package dev.bastion.security.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceCommandPolicyTest {

    private final DeviceCommandPolicy policy = DeviceCommandPolicy.defaults();

    @ParameterizedTest
    @ValueSource(strings = {
        "conf t",
        "configure terminal",
        "CONFIGURE TERMINAL",
        "  Configure   Terminal ",
        "config",
        "configure",
        "configure exclusive",
        "system-view",
        "sys",
        "edit",
        "edit interfaces ge-0/0/0",
        "set interfaces ge-0/0/0 disable",
        "delete interfaces",
        "commit",
        "commit and-quit",
        "rollback 1",
        "write memory",
        "wr",
        "copy running-config startup-config",
        "erase startup-config",
        "reload",
        "request system reboot",
        "clear ip bgp *",
        "debug ip packet",
        "start shell",
        "show version; conf t",
        "show version ; reload",
        "show run | include password",
        "show version && reload",
        "show version || reload",
        "show version & reload",
        "show version\nconf t",
        "show version\rconf t",
        "show version\u2028conf t",
        "show version\u0085reload",
        "show version `reload`",
        "show version $(reload)",
        "show version > flash:x",
        "show version\u0000",
        "\uFF43\uFF4F\uFF4E\uFF46 t",
        "show version\uFF1B conf t",
        "show version \uFF5C include x",
        "s\u200Bhow version",
        "sh run",
        "terminal length 0",
        "",
        "   ",
        "tclsh"
    })
    void refusesConfigurationSeparatorsAndUnlistedCommands(String command) {
        assertThatThrownBy(() -> policy.check(command))
                .isInstanceOf(CommandPolicyException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void refusesConfigurationDumpsThatHoldCredentials() {
        for (String dump : List.of("show running-config", "SHOW RUN", "show startup-config",
                "show configuration interfaces", "show tech-support", "display current-configuration",
                "display saved-configuration")) {
            assertThatThrownBy(() -> policy.check(dump)).as(dump)
                    .isInstanceOf(CommandPolicyException.class).hasMessageContaining("deny pattern");
        }
    }

    @Test
    void allowsShowDisplayAndPingNormalised() {
        assertThat(policy.check("show version")).isEqualTo("show version");
        assertThat(policy.check("  SHOW   ip   interface brief ")).isEqualTo("SHOW ip interface brief");
        assertThat(policy.check("display interface brief")).isEqualTo("display interface brief");
        assertThat(policy.check("ping 10.0.0.1")).isEqualTo("ping 10.0.0.1");
        assertThat(policy.check("show\tversion")).isEqualTo("show version");
    }

    @Test
    void denyWinsOverAllow() {
        DeviceCommandPolicy custom = new DeviceCommandPolicy(List.of("*"), List.of("reload*"));

        assertThat(custom.check("terminal length 0")).isEqualTo("terminal length 0");
        assertThatThrownBy(() -> custom.check("Reload in 5"))
                .hasMessageContaining("deny pattern 'reload*'");
    }

    @Test
    void messagesNameTheRule() {
        assertThatThrownBy(() -> policy.check("conf t")).hasMessageContaining("security.device_commands.deny");
        assertThatThrownBy(() -> policy.check("sh run")).hasMessageContaining("security.device_commands.allow");
        assertThatThrownBy(() -> policy.check("show run | i x")).hasMessageContaining("'|'");
        assertThatThrownBy(() -> policy.check("show run\nconf t")).hasMessageContaining("line break");
    }
}
