package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.MessageSink;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    private static final Principal ALICE = new Principal("alice", Set.of("bastion:read"));

    private final McpEngine engine = HttpFixture.engine();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @AfterEach
    void close() {
        engine.close();
    }

    private HttpSession open(SessionRegistry registry) {
        HttpSession session = registry.create(ALICE.name());
        session.attach(engine.openSession(session.id(), ALICE, MessageSink.DISCARD));
        // Every session also holds a buffered standalone stream, as a real client's would.
        session.standalone().send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        return session;
    }

    private static long usedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void tenThousandSessionsStayWithinMemoryAndTheCapEvictsTheLeastRecentlyUsed() throws Exception {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 10_000, 64, nanos::get);
        long before = usedHeap();
        List<HttpSession> first = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            first.add(open(registry));
            nanos.addAndGet(1_000);
        }
        long perSession = (usedHeap() - before) / 10_000;
        assertThat(registry.size()).isEqualTo(10_000);
        assertThat(perSession).as("bytes of heap per idle session").isLessThan(8 * 1024);

        // The oldest session was used recently, so the next one to go is the second.
        assertThat(registry.find(first.get(0).id(), ALICE.name())).isInstanceOf(SessionRegistry.Found.class);
        for (int i = 0; i < 5_000; i++) {
            open(registry);
        }
        assertThat(registry.size()).isEqualTo(10_000);
        assertThat(registry.find(first.get(0).id(), ALICE.name())).isInstanceOf(SessionRegistry.Found.class);
        assertThat(registry.find(first.get(1).id(), ALICE.name())).isInstanceOf(SessionRegistry.Missing.class);
        assertThat(first.get(1).standalone().finished()).as("the evicted session was closed").isTrue();
        assertThat(registry.find(first.get(9_999).id(), ALICE.name())).isInstanceOf(SessionRegistry.Found.class);
    }

    @Test
    void idleSessionsExpireAndTheirIdsAreAnsweredAsUnknown() {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 20_000, 16, nanos::get);
        List<HttpSession> sessions = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sessions.add(open(registry));
        }
        nanos.addAndGet(Duration.ofMinutes(20).toNanos());
        HttpSession kept = sessions.get(42);
        assertThat(registry.find(kept.id(), ALICE.name())).isInstanceOf(SessionRegistry.Found.class);
        nanos.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(registry.expireIdle()).isEqualTo(9_999);
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.find(sessions.get(0).id(), ALICE.name())).isInstanceOf(SessionRegistry.Missing.class);
        nanos.addAndGet(Duration.ofMinutes(31).toNanos());
        assertThat(registry.find(kept.id(), ALICE.name())).isInstanceOf(SessionRegistry.Missing.class);
        assertThat(registry.size()).isZero();
    }

    @Test
    void aSessionIsInvisibleToAnotherPrincipalAndIdsAreUnguessable() {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 100, 16, nanos::get);
        HttpSession session = open(registry);
        assertThat(registry.find(session.id(), "mallory")).isInstanceOf(SessionRegistry.Missing.class);
        assertThat(registry.find(session.id(), "alice")).isInstanceOf(SessionRegistry.Found.class);
        assertThat(session.id()).matches("[A-Za-z0-9_-]{43}");
        assertThat(open(registry).id()).isNotEqualTo(session.id());
    }
}
