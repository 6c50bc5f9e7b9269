package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestGuardTest {

    private final RequestGuard guard = new RequestGuard(URI.create("https://mcp.example.com"),
            List.of("mcp.internal"), List.of("https://app.example.com/"));

    @Test
    void allowsLoopbackHostsOnAnyPortThePublicHostAndConfiguredHosts() {
        assertThat(guard.hostDenial("127.0.0.1:8080")).isEmpty();
        assertThat(guard.hostDenial("localhost")).isEmpty();
        assertThat(guard.hostDenial("[::1]:9000")).isEmpty();
        assertThat(guard.hostDenial("MCP.example.com")).isEmpty();
        assertThat(guard.hostDenial("mcp.internal:443")).isEmpty();
    }

    @Test
    void refusesOtherHostsAndAMissingHost() {
        assertThat(guard.hostDenial("evil.example.com")).isPresent();
        assertThat(guard.hostDenial("localhost.evil.example.com")).isPresent();
        assertThat(guard.hostDenial("127.0.0.2")).isPresent();
        assertThat(guard.hostDenial(null)).hasValue("Misdirected Request: the Host header is required");
    }

    @Test
    void allowsNoOriginLoopbackOriginsThePublicOriginAndConfiguredOrigins() {
        assertThat(guard.originDenial(null)).isEmpty();
        assertThat(guard.originDenial("http://localhost:6274")).isEmpty();
        assertThat(guard.originDenial("http://127.0.0.1")).isEmpty();
        assertThat(guard.originDenial("https://mcp.example.com")).isEmpty();
        assertThat(guard.originDenial("https://app.example.com")).isEmpty();
    }

    @Test
    void refusesForeignOpaqueAndLookalikeOriginsWithoutQuotingThem() {
        for (String origin : List.of("http://evil.example.com", "null", "http://localhost.evil.example.com",
                "https://mcp.example.com:8443", "file://", "http://app.example.com")) {
            assertThat(guard.originDenial(origin)).as(origin).hasValueSatisfying(message ->
                    assertThat(message).startsWith("Forbidden: the request's Origin is not allowed")
                            .doesNotContain(origin));
        }
    }

    @Test
    void refusesMoreThanOneOriginHeader() {
        assertThat(guard.originsDenial(List.of())).isEmpty();
        assertThat(guard.originsDenial(List.of("https://app.example.com"))).isEmpty();
        assertThat(guard.originsDenial(List.of("https://app.example.com", "http://evil.example.com")))
                .hasValue("Forbidden: send at most one Origin header");
        assertThat(guard.originsDenial(List.of("http://evil.example.com"))).isPresent();
    }
}
