package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open HTTP sessions. Ids are 256 random bits from {@link SecureRandom}, base64url (visible
 * ASCII, as the spec requires). A session is bound to the principal that opened it: a lookup by
 * another principal finds nothing, exactly like an unknown id, so ids cannot be probed. Sessions
 * unused for the idle timeout end.
 *
 * <p>Each principal has its own share: it holds at most {@code maxPerPrincipal} sessions, and when
 * it opens one more its own least recently used session ends to make room. The server-wide cap is
 * enforced the same way, from the requester's own sessions only; a principal that holds none while
 * the server is full is refused. So no principal can end another principal's session by opening
 * its own. Each principal's sessions are kept access-ordered, so all of this is O(1) per request.
 */
final class SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    /** What a lookup found. */
    sealed interface Lookup permits Found, Missing {
    }

    record Found(HttpSession session) implements Lookup {
    }

    /** Unknown, expired, ended, or opened by someone else: all answered 404. */
    record Missing() implements Lookup {
    }

    /** Thrown by {@link #create} when the server is full and the requester holds no session to give up. */
    static final class ServerFullException extends Exception {
        ServerFullException(int maxSessions) {
            super("Service Unavailable: the server holds its maximum of " + maxSessions + " sessions; try again "
                    + "later or end a session you no longer use");
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final long idleNanos;
    private final int maxSessions;
    private final int maxPerPrincipal;
    private final int replayEvents;
    private final LongSupplier clock;
    private final Map<String, HttpSession> sessions = new HashMap<>();
    /** Per principal, its sessions by id in access order (least recently used first). */
    private final Map<String, LinkedHashMap<String, HttpSession>> byPrincipal = new HashMap<>();

    /**
     * @param maxPerPrincipal sessions one principal may hold; above {@code maxSessions} it is {@code maxSessions}
     */
    SessionRegistry(Duration idleTimeout, int maxSessions, int maxPerPrincipal, int replayEvents,
                    LongSupplier nanoClock) {
        this.idleNanos = requireNonNull(idleTimeout, "idleTimeout is null").toNanos();
        if (maxSessions < 1 || maxPerPrincipal < 1) {
            throw new IllegalArgumentException("maxSessions and maxPerPrincipal must be positive");
        }
        this.maxSessions = maxSessions;
        this.maxPerPrincipal = Math.min(maxPerPrincipal, maxSessions);
        this.replayEvents = replayEvents;
        this.clock = requireNonNull(nanoClock, "nanoClock is null");
    }

    /**
     * Opens a session for {@code principalName}. When the principal holds its share, or the server is
     * full, the principal's own least recently used session ends to make room.
     *
     * @throws ServerFullException when the server is full and the principal holds no session
     */
    HttpSession create(String principalName) throws ServerFullException {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.getAsLong();
        HttpSession session = new HttpSession(id, principalName, replayEvents, now);
        List<HttpSession> evicted = new ArrayList<>();
        synchronized (sessions) {
            LinkedHashMap<String, HttpSession> own = byPrincipal.get(principalName);
            int held = own == null ? 0 : own.size();
            if (sessions.size() >= maxSessions && held == 0) {
                throw new ServerFullException(maxSessions);
            }
            while (own != null && !own.isEmpty() && (own.size() >= maxPerPrincipal || sessions.size() >= maxSessions)) {
                Iterator<HttpSession> eldest = own.values().iterator();
                HttpSession victim = eldest.next();
                eldest.remove();
                sessions.remove(victim.id());
                evicted.add(victim);
            }
            sessions.put(id, session);
            byPrincipal.computeIfAbsent(principalName, name -> new LinkedHashMap<>(16, 0.75f, true)).put(id, session);
        }
        if (!evicted.isEmpty()) {
            LOG.debug("a principal reached its session share ({} of {} server-wide): ended {} of its own least "
                    + "recently used session(s)", maxPerPrincipal, maxSessions, evicted.size());
            evicted.forEach(HttpSession::close);
        }
        return session;
    }

    /** Removes {@code session} from both maps; the caller holds the lock. */
    private void forget(HttpSession session) {
        sessions.remove(session.id(), session);
        LinkedHashMap<String, HttpSession> own = byPrincipal.get(session.principalName());
        if (own != null) {
            own.remove(session.id(), session);
            if (own.isEmpty()) {
                byPrincipal.remove(session.principalName());
            }
        }
    }

    /** The session with {@code id} if it exists, has not expired and belongs to {@code principalName}. */
    Lookup find(String id, String principalName) {
        long now = clock.getAsLong();
        HttpSession session;
        HttpSession expired = null;
        synchronized (sessions) {
            session = sessions.get(id);
            if (session != null && now - session.lastUsedNanos() > idleNanos) {
                forget(session);
                expired = session;
                session = null;
            } else if (session != null && session.principalName().equals(principalName)) {
                byPrincipal.get(principalName).get(id); // marks it most recently used in its principal's order
            }
        }
        if (expired != null) {
            expired.close();
            return new Missing();
        }
        if (session == null || !session.principalName().equals(principalName)) {
            return new Missing();
        }
        session.touch(now);
        return new Found(session);
    }

    /** Ends a session (DELETE, failed initialize). */
    void remove(HttpSession session) {
        synchronized (sessions) {
            forget(session);
        }
        session.close();
    }

    /** Ends every session idle for longer than the timeout; returns how many. */
    int expireIdle() {
        long now = clock.getAsLong();
        List<HttpSession> expired = new ArrayList<>();
        synchronized (sessions) {
            // A full scan: sessions kept alive by an open stream are touched without being accessed,
            // so the access order alone does not say which ones are idle. 10,000 entries take microseconds.
            for (HttpSession session : sessions.values()) {
                if (now - session.lastUsedNanos() > idleNanos) {
                    expired.add(session);
                }
            }
            expired.forEach(this::forget);
        }
        expired.forEach(HttpSession::close);
        return expired.size();
    }

    /** Marks a session as used without looking it up (a client listening on its event stream). */
    void touch(HttpSession session) {
        session.touch(clock.getAsLong());
    }

    /** How many sessions {@code principalName} holds. */
    int held(String principalName) {
        synchronized (sessions) {
            LinkedHashMap<String, HttpSession> own = byPrincipal.get(principalName);
            return own == null ? 0 : own.size();
        }
    }

    /** How many principals hold at least one session. */
    int principals() {
        synchronized (sessions) {
            return byPrincipal.size();
        }
    }

    int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    List<HttpSession> all() {
        synchronized (sessions) {
            return new ArrayList<>(sessions.values());
        }
    }

    void closeAll() {
        List<HttpSession> all;
        synchronized (sessions) {
            all = new ArrayList<>(sessions.values());
            sessions.clear();
            byPrincipal.clear();
        }
        all.forEach(HttpSession::close);
    }
}
