package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * unused for the idle timeout end; when the cap is reached the least recently used session ends
 * to make room. The map is access-ordered, so both are O(1) per request.
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

    private final SecureRandom random = new SecureRandom();
    private final long idleNanos;
    private final int maxSessions;
    private final int replayEvents;
    private final LongSupplier clock;
    private final LinkedHashMap<String, HttpSession> sessions = new LinkedHashMap<>(64, 0.75f, true);

    SessionRegistry(Duration idleTimeout, int maxSessions, int replayEvents, LongSupplier nanoClock) {
        this.idleNanos = requireNonNull(idleTimeout, "idleTimeout is null").toNanos();
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive");
        }
        this.maxSessions = maxSessions;
        this.replayEvents = replayEvents;
        this.clock = requireNonNull(nanoClock, "nanoClock is null");
    }

    /** Opens a session for {@code principalName}, ending the least recently used one when full. */
    HttpSession create(String principalName) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.getAsLong();
        HttpSession session = new HttpSession(id, principalName, replayEvents, now);
        List<HttpSession> evicted = new ArrayList<>();
        synchronized (sessions) {
            while (sessions.size() >= maxSessions) {
                Iterator<HttpSession> eldest = sessions.values().iterator();
                evicted.add(eldest.next());
                eldest.remove();
            }
            sessions.put(id, session);
        }
        if (!evicted.isEmpty()) {
            LOG.info("the session cap ({}) is reached: ended {} least recently used session(s)", maxSessions,
                    evicted.size());
            evicted.forEach(HttpSession::close);
        }
        return session;
    }

    /** The session with {@code id} if it exists, has not expired and belongs to {@code principalName}. */
    Lookup find(String id, String principalName) {
        long now = clock.getAsLong();
        HttpSession session;
        HttpSession expired = null;
        synchronized (sessions) {
            session = sessions.get(id);
            if (session != null && now - session.lastUsedNanos() > idleNanos) {
                sessions.remove(id);
                expired = session;
                session = null;
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
            sessions.remove(session.id(), session);
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
            Iterator<Map.Entry<String, HttpSession>> entries = sessions.entrySet().iterator();
            while (entries.hasNext()) {
                HttpSession session = entries.next().getValue();
                if (now - session.lastUsedNanos() > idleNanos) {
                    entries.remove();
                    expired.add(session);
                }
            }
        }
        expired.forEach(HttpSession::close);
        return expired.size();
    }

    /** Marks a session as used without looking it up (a client listening on its event stream). */
    void touch(HttpSession session) {
        session.touch(clock.getAsLong());
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
        }
        all.forEach(HttpSession::close);
    }
}
