package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.transport.http.auth.StaticToken;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Repeated failed authentications from one address are slowed down, with a metric and a log record. */
class AuthFailureThrottleTest {

    private static final String TOKEN = "Hq2xVb9LmN4pR8sT1wY6zK3cF5gJ0dA7e";

    private final McpEngine engine = HttpFixture.engine();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Logger audit = (Logger) LoggerFactory.getLogger("dev.bastion.audit.http");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private HttpTransport transport;

    @AfterEach
    void stop() {
        audit.detachAppender(captured);
        if (transport != null) {
            transport.close();
        }
        engine.close();
    }

    private HttpResponse<String> initializeWith(String token) throws Exception {
        return HttpFixture.send(HttpFixture.post(transport, HttpFixture.INITIALIZE)
                .header("Authorization", "Bearer " + token).build());
    }

    @Test
    void afterTheBurstAnAddressIsRefusedUncheckedUntilItSlowsDown() throws Exception {
        captured.start();
        audit.addAppender(captured);
        audit.setLevel(Level.INFO);
        HttpSettings.Auth auth = new HttpSettings.Auth(HttpSettings.AuthMode.STATIC, List.of(new StaticToken("alice",
                StaticTokenAuthenticator.sha256(TOKEN), Set.of("bastion:read"))), null, null, null, null, false,
                List.of(), List.of(), List.of("bastion:read"), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofMinutes(10));
        transport = HttpTransport.builder(engine, HttpSettings.loopbackDefaults().withAuth(auth))
                .authFailureThrottle(new AuthFailureThrottle(5, Duration.ofSeconds(2), 100, nanos::get)).build();
        transport.start();

        List<String> guesses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String guess = "guess-" + i + "-Zq9Xw8Vu7Ts6Rr5Qp4OnMm3Ll2Kk1Jj";
            guesses.add(guess);
            assertThat(initializeWith(guess).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = initializeWith("guess-5-Zq9Xw8Vu7Ts6Rr5Qp4OnMm3Ll2Kk1Jj");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
        assertThat(new ObjectMapper().readTree(throttled.body()).path("error").path("message").asText())
                .contains("too many failed authentications from this address");
        assertThat(initializeWith(TOKEN).statusCode()).as("the right token is not even checked").isEqualTo(429);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(initializeWith(TOKEN).statusCode()).isEqualTo(200);
        assertThat(initializeWith("guess-6-Zq9Xw8Vu7Ts6Rr5Qp4OnMm3Ll2Kk1Jj").statusCode())
                .as("the refill allows one more attempt").isEqualTo(401);
        assertThat(initializeWith(TOKEN).statusCode()).isEqualTo(429);

        assertThat(transport.metrics().scrape()).contains("bastion_auth_failures_total{reason=\"invalid\"} 6\n")
                .contains("bastion_auth_failures_total{reason=\"throttled\"} 3\n");
        List<String> messages = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).hasSize(2).allSatisfy(message -> assertThat(message)
                .contains("5 failed attempts from 127.0.0.1").contains("one attempt per 2000 ms"));
        for (String message : messages) {
            assertThat(message).doesNotContain(TOKEN).doesNotContain("guess-").doesNotContain("Zq9Xw8");
        }
    }

    @Test
    void memoryIsBoundedAndAnAddressThatSlowedDownIsForgotten() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(3, Duration.ofSeconds(1), 1_000, nanos::get);
        for (int i = 0; i < 100_000; i++) {
            throttle.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(throttle.tracked()).isEqualTo(1_000);

        assertThat(throttle.failed("192.0.2.1")).isFalse();
        assertThat(throttle.failed("192.0.2.1")).isFalse();
        assertThat(throttle.failed("192.0.2.1")).as("the burst is used up").isTrue();
        assertThat(throttle.waitNanos("192.0.2.1")).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(throttle.waitNanos("192.0.2.2")).isZero();
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(throttle.waitNanos("192.0.2.1")).isEqualTo(Duration.ofMillis(600).toNanos());
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        int before = throttle.tracked();
        assertThat(throttle.waitNanos("192.0.2.1")).isZero();
        assertThat(throttle.tracked()).as("a refilled bucket is dropped").isEqualTo(before - 1);
    }
}
