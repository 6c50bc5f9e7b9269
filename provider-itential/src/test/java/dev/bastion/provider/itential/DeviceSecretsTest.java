package dev.bastion.provider.itential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every form of device credential the configurations of IOS, NX-OS and Junos carry, masked; the rest kept. */
class DeviceSecretsTest {

    private static final String M = DeviceSecrets.MASK;

    private static String masked(String line) {
        return DeviceSecrets.mask(line).text();
    }

    @Test
    void credentialsAreMaskedWhereverOnTheLineTheyAre() {
        assertThat(masked("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0")).isEqualTo("enable secret 5 " + M);
        assertThat(masked("username admin privilege 15 secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM"))
                .isEqualTo("username admin privilege 15 secret 9 " + M);
        assertThat(masked(" neighbor 10.0.0.1 password 7 0822455D0A16")).isEqualTo(" neighbor 10.0.0.1 password 7 " + M);
        assertThat(masked(" ip ospf authentication-key 7 1511021F0725")).isEqualTo(" ip ospf authentication-key 7 " + M);
        assertThat(masked(" ip ospf message-digest-key 1 md5 7 070C285F4D06"))
                .isEqualTo(" ip ospf message-digest-key 1 md5 7 " + M);
        assertThat(masked("ntp authentication-key 1 md5 104D000A0618 7")).startsWith("ntp authentication-key 1 md5 " + M);
        assertThat(masked("crypto isakmp key Sup3rS3cret address 203.0.113.9"))
                .isEqualTo("crypto isakmp key " + M + " address 203.0.113.9");
        assertThat(masked("tacacs-server host 10.1.1.1 key 7 060506324F41")).isEqualTo("tacacs-server host 10.1.1.1 key 7 " + M);
        assertThat(masked("radius-server key R4dius!")).isEqualTo("radius-server key " + M);
        assertThat(masked("snmp-server community Publ1cStr1ng RO")).isEqualTo("snmp-server community " + M + " RO");
        assertThat(masked("snmp-server host 10.9.9.9 version 2c Tr4pC0mm")).isEqualTo("snmp-server host 10.9.9.9 version 2c " + M);
        assertThat(masked("snmp-server user ops opsgroup v3 auth sha AuthPa55 priv aes 128 PrivPa55"))
                .doesNotContain("AuthPa55").doesNotContain("PrivPa55");
        assertThat(masked("set system login user ops authentication encrypted-password \"$6$abc$def\""))
                .isEqualTo("set system login user ops authentication encrypted-password " + M);
        assertThat(masked("set snmp community s3cr3tc0mm authorization read-only"))
                .isEqualTo("set snmp community " + M + " authorization read-only");
        assertThat(masked(" key-string 7 0822455D0A16")).isEqualTo(" key-string 7 " + M);
        assertThat(masked("pre-shared-key ascii-text \"$9$AbCdEf\"")).doesNotContain("AbCdEf");
    }

    @Test
    void ordinaryLinesAreLeftAsTheyAre() {
        for (String line : new String[] {"hostname rtr-atl-001", "no service password-encryption",
                "interface GigabitEthernet0/1", " description uplink to core", "key chain OSPF-KEYS",
                "Cisco IOS XE Software, Version 17.3.4a", "enable password", "router ospf 1"}) {
            assertThat(masked(line)).as(line).isEqualTo(line);
        }
        assertThat(DeviceSecrets.mask("hostname a\nenable secret 5 $1$x$y\ninterface b").lines()).isEqualTo(1);
    }

    @Test
    void credentialNamedKeysInPlatformJsonAreMasked() throws Exception {
        JsonNode variables = new ObjectMapper().readTree("{\"device\":\"rtr-1\",\"adminPassword\":\"hunter2\","
                + "\"snmp\":{\"community\":\"public1\",\"port\":161},\"apiToken\":\"tok-1\",\"note\":\"enable secret 5 $1$a$b\"}");

        String masked = DeviceSecrets.maskJson(variables).toString();

        assertThat(masked).doesNotContain("hunter2").doesNotContain("public1").doesNotContain("tok-1")
                .doesNotContain("$1$a$b").contains("\"device\":\"rtr-1\"").contains("\"port\":161");
    }
}
