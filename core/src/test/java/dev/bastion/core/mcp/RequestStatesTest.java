package dev.bastion.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestStatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static RequestStates.Binding binding(String principal, String arguments) throws Exception {
        return new RequestStates.Binding(principal, "tools/call", "gated_delete", JSON.readTree(arguments));
    }

    @Test
    void aStateOpensWithItsAnswersForTheSameCallerRequestAndKeyOnAnotherReplica() throws Exception {
        Clock now = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
        ObjectNode answers = JSON.createObjectNode();
        answers.putObject("approval").put("action", "accept");
        String state = new RequestStates(KEY, JSON, now).seal(binding("alice", "{\"a\":1,\"b\":[2,3]}"), answers,
                JSON.createObjectNode());
        RequestStates otherReplica = new RequestStates(KEY.clone(), JSON, now);
        assertThat(otherReplica.open(state, binding("alice", "{\"b\":[2,3],\"a\":1}")).answers().path("approval")
                .path("action").asText()).as("arguments compare by value, not key order").isEqualTo("accept");
        assertThat(state).doesNotContain("alice");
    }

    @Test
    void anExpiredStateIsRefused() throws Exception {
        Instant issued = Instant.parse("2026-12-06T12:00:00Z");
        String state = new RequestStates(KEY, JSON, Clock.fixed(issued, ZoneOffset.UTC))
                .seal(binding("alice", "{}"), JSON.createObjectNode(), JSON.createObjectNode());
        RequestStates later = new RequestStates(KEY, JSON, Clock.fixed(issued.plus(RequestStates.LIFETIME)
                .plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.open(state, binding("alice", "{}")))
                .isInstanceOf(RequestStates.StateRefused.class).hasMessageContaining("expired");
    }

    @Test
    void aStateOfAnotherKeyOrNoStateAtAllIsRefused() throws Exception {
        byte[] other = KEY.clone();
        other[0] = 8;
        String state = new RequestStates(other, JSON, Clock.systemUTC()).seal(binding("alice", "{}"),
                JSON.createObjectNode(), JSON.createObjectNode());
        RequestStates states = new RequestStates(KEY, JSON, Clock.systemUTC());
        assertThatThrownBy(() -> states.open(state, binding("alice", "{}"))).hasMessageContaining("integrity");
        for (String junk : new String[] {"", "abc", "a.b.c", "!!!.???", "e30.e30"}) {
            assertThatThrownBy(() -> states.open(junk, binding("alice", "{}")))
                    .isInstanceOf(RequestStates.StateRefused.class);
        }
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new RequestStates(new byte[16], JSON, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void aSpentStateIsRefusedUntilItExpires() throws Exception {
        RequestStates states = new RequestStates(KEY, JSON, Clock.systemUTC());
        String state = states.seal(binding("alice", "{}"), JSON.createObjectNode(), JSON.createObjectNode());
        states.spend(states.open(state, binding("alice", "{}")));
        assertThatThrownBy(() -> states.open(state, binding("alice", "{}"))).hasMessageContaining("already used");
    }
}
