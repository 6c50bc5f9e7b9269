package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the DNS-rebinding guard: any Host header and any number of Origin
 * headers give either "allowed" or one of the guard's fixed refusals (which never quote the
 * header), never an exception. What a browser can send (a {@code host[:port]} Host header and a
 * {@code scheme://host[:port]} Origin) is allowed only for the loopback names and the configured
 * host and origins, checked by an independent reading written here.
 *
 * <p>In a normal build the fuzz test replays its corpus ({@code RequestGuardFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
class RequestGuardFuzzTest {

    private static final RequestGuard GUARD = new RequestGuard(URI.create("https://mcp.example.com"),
            List.of("mcp.internal"), List.of("https://app.example.com/"));

    private static final Set<String> HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "mcp.example.com",
            "mcp.internal");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> ORIGINS = Set.of("https://mcp.example.com", "https://app.example.com");
    private static final Set<String> REFUSALS = Set.of(
            "Misdirected Request: the Host header is required",
            "Misdirected Request: the Host header names a host this server does not serve",
            "Forbidden: send at most one Origin header",
            "Forbidden: the request's Origin is not allowed; add it to http.allowed_origins if this browser client is "
                    + "trusted");

    /** A Host header as a browser sends it: a name or an IPv6 literal, and an optional port. */
    private static final Pattern BROWSER_HOST = Pattern.compile("([^\\s:\\[\\]/@]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");
    /** A serialised browser origin. */
    private static final Pattern BROWSER_ORIGIN = Pattern.compile(
            "([a-z][a-z0-9+.-]*)://([^\\s:/?#@\\[\\]]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");

    @FuzzTest
    void everyHostAndOriginCombinationIsAllowedOrClearlyRefused(FuzzedDataProvider data) {
        String host = data.consumeBoolean() ? null : data.consumeString(300);
        int originCount = data.consumeInt(0, 3);
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < originCount; i++) {
            origins.add(i == originCount - 1 ? data.consumeRemainingAsString() : data.consumeString(300));
        }

        Optional<String> hostDenial = GUARD.hostDenial(host);
        Optional<String> originDenial = GUARD.originsDenial(origins);

        hostDenial.ifPresent(message -> assertThat(REFUSALS).contains(message));
        originDenial.ifPresent(message -> assertThat(REFUSALS).contains(message));
        if (hostDenial.isEmpty()) {
            assertThat(host).isNotBlank();
            Matcher browser = BROWSER_HOST.matcher(host.strip().toLowerCase(Locale.ROOT));
            if (browser.matches()) {
                assertThat(HOSTS).as("the allowed Host header %s", host).contains(browser.group(1));
            }
        }
        if (originDenial.isEmpty() && !origins.isEmpty()) {
            assertThat(origins).hasSize(1);
            String origin = origins.get(0).strip().toLowerCase(Locale.ROOT);
            origin = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
            Matcher browser = BROWSER_ORIGIN.matcher(origin);
            if (browser.matches()) {
                boolean loopback = ("http".equals(browser.group(1)) || "https".equals(browser.group(1)))
                        && LOOPBACK.contains(browser.group(2));
                assertThat(loopback || ORIGINS.contains(origin)).as("the allowed Origin %s", origins.get(0)).isTrue();
            }
        }
    }

    @Test
    void theBrowserGrammarsReadPortsAndIpv6Literals() {
        Matcher host = BROWSER_HOST.matcher("[::1]:8080");
        assertThat(host.matches()).isTrue();
        assertThat(host.group(1)).isEqualTo("[::1]");
        Matcher origin = BROWSER_ORIGIN.matcher("http://localhost.evil.example.com:80");
        assertThat(origin.matches()).isTrue();
        assertThat(origin.group(2)).isEqualTo("localhost.evil.example.com");
    }
}
