package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private HttpSession open(SessionRegistry registry) throws SessionRegistry.ServerFullException {
        return open(registry, ALICE);
    }

    private HttpSession open(SessionRegistry registry, Principal principal) throws SessionRegistry.ServerFullException {
        HttpSession session = registry.create(principal.name());
        session.attach(engine.openSession(session.id(), principal, MessageSink.DISCARD));
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
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 10_000, 10_000, 64, nanos::get);
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
    void idleSessionsExpireAndTheirIdsAreAnsweredAsUnknown() throws Exception {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 20_000, 20_000, 16, nanos::get);
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
    void aSessionIsInvisibleToAnotherPrincipalAndIdsAreUnguessable() throws Exception {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 100, 100, 16, nanos::get);
        HttpSession session = open(registry);
        assertThat(registry.find(session.id(), "mallory")).isInstanceOf(SessionRegistry.Missing.class);
        assertThat(registry.find(session.id(), "alice")).isInstanceOf(SessionRegistry.Found.class);
        assertThat(session.id()).matches("[A-Za-z0-9_-]{43}");
        assertThat(open(registry).id()).isNotEqualTo(session.id());
    }

    private static final Principal BOB = new Principal("bob", Set.of("bastion:read"));
    private static final Principal MALLORY = new Principal("mallory", Set.of("bastion:read"));

    @Test
    void aPrincipalAtItsShareGivesUpItsOwnLeastRecentlyUsedSessionAndNoOneElses() throws Exception {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 10_000, 50, 16, nanos::get);
        HttpSession bobs = open(registry, BOB);
        List<HttpSession> mallorys = new ArrayList<>();
        for (int i = 0; i < 10_050; i++) {
            mallorys.add(open(registry, MALLORY));
            nanos.addAndGet(1_000);
            if (i == 10) {
                // Mallory's first session is in use, so her second is the least recently used one.
                assertThat(registry.find(mallorys.get(0).id(), MALLORY.name())).isInstanceOf(SessionRegistry.Found.class);
            }
        }
        assertThat(registry.held(MALLORY.name())).isEqualTo(50);
        assertThat(registry.size()).isEqualTo(51);
        assertThat(registry.find(bobs.id(), BOB.name())).isInstanceOf(SessionRegistry.Found.class);
        assertThat(bobs.standalone().finished()).as("bob's session is untouched").isFalse();
        assertThat(registry.find(mallorys.get(1).id(), MALLORY.name())).isInstanceOf(SessionRegistry.Missing.class);
        assertThat(mallorys.get(1).standalone().finished()).as("mallory's own evicted session was closed").isTrue();
        assertThat(registry.find(mallorys.get(10_049).id(), MALLORY.name())).isInstanceOf(SessionRegistry.Found.class);
    }

    @Test
    void aFullServerTakesTheRequestersOwnSessionAndRefusesAPrincipalThatHoldsNone() throws Exception {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 4, 3, 16, nanos::get);
        HttpSession alices = open(registry, ALICE);
        HttpSession bobsFirst = open(registry, BOB);
        nanos.addAndGet(1_000);
        open(registry, BOB);
        open(registry, BOB);
        assertThat(registry.size()).isEqualTo(4);

        HttpSession bobsFourth = open(registry, BOB);
        assertThat(registry.size()).isEqualTo(4);
        assertThat(registry.find(bobsFirst.id(), BOB.name())).isInstanceOf(SessionRegistry.Missing.class);
        assertThat(registry.find(alices.id(), ALICE.name())).isInstanceOf(SessionRegistry.Found.class);
        assertThat(registry.find(bobsFourth.id(), BOB.name())).isInstanceOf(SessionRegistry.Found.class);

        assertThatThrownBy(() -> registry.create(MALLORY.name()))
                .isInstanceOf(SessionRegistry.ServerFullException.class)
                .hasMessageContaining("maximum of 4 sessions");
        assertThat(registry.find(alices.id(), ALICE.name())).isInstanceOf(SessionRegistry.Found.class);
        assertThat(registry.size()).isEqualTo(4);
    }

    @Test
    void principalsWithoutSessionsLeaveNothingBehind() throws Exception {
        SessionRegistry registry = new SessionRegistry(Duration.ofMinutes(30), 100, 10, 16, nanos::get);
        for (int i = 0; i < 50; i++) {
            registry.remove(open(registry, new Principal("p" + i, Set.of("bastion:read"))));
        }
        assertThat(registry.size()).isZero();
        assertThat(registry.principals()).isZero();
        assertThat(open(registry, ALICE)).isNotNull();
    }
}
