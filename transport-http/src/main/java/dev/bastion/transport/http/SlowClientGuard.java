package dev.bastion.transport.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts off slowloris clients. The idle timeout alone does not: a client that sends one header byte
 * every few seconds is never idle. Here every connection has a deadline to deliver a whole request
 * (headers and body): armed when the connection opens and, longer, when a response completes,
 * cleared once the request has been read. A periodic sweep closes connections past their deadline.
 */
final class SlowClientGuard implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);

    /** A connection's deadline in {@link System#nanoTime()} terms; 0 when it is not waiting for a request. */
    private static final class Watch {
        volatile long deadline;
    }

    private final long timeoutNanos;
    private final long keepAliveNanos;
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();

    /**
     * @param requestTimeout the time a new connection has to deliver its first whole request
     * @param idleTimeout added for the following requests of a kept-alive connection: closing an
     *     idle kept-alive connection early would race with a client that is just reusing it
     */
    SlowClientGuard(Duration requestTimeout, Duration idleTimeout) {
        this.timeoutNanos = requestTimeout.toNanos();
        this.keepAliveNanos = timeoutNanos + idleTimeout.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        Watch watch = new Watch();
        watch.deadline = System.nanoTime() + timeoutNanos;
        watches.put(connection, watch);
    }

    @Override
    public void onClosed(Connection connection) {
        watches.remove(connection);
    }

    /** The request has been read completely: the client is no longer racing a deadline. */
    void requestReceived(Request request) {
        Watch watch = watches.get(request.getConnectionMetaData().getConnection());
        if (watch != null) {
            watch.deadline = 0;
        }
    }

    /** The response completed: the next request on this connection must arrive in time. */
    void responseCompleted(Request request) {
        Watch watch = watches.get(request.getConnectionMetaData().getConnection());
        if (watch != null) {
            watch.deadline = System.nanoTime() + keepAliveNanos;
        }
    }

    /** Closes every connection past its deadline. */
    void sweep() {
        long now = System.nanoTime();
        watches.forEach((connection, watch) -> {
            long deadline = watch.deadline;
            if (deadline != 0 && now - deadline > 0) {
                LOG.debug("closing a connection that did not send a whole request within {} ms",
                        timeoutNanos / 1_000_000);
                watches.remove(connection);
                connection.getEndPoint().close();
            }
        });
    }

    int watched() {
        return watches.size();
    }
}
