package dev.bastion.security.outbound;

import okhttp3.Interceptor;

/**
 * Traces the requests of the clients {@link OutboundHttp} builds: one client span per backend
 * request, a child of the MCP request that made it. This module knows no tracing library; the
 * application supplies the implementation, or {@link #NONE}.
 */
@FunctionalInterface
public interface BackendTracing {

    /** Traces nothing. */
    BackendTracing NONE = (backend, propagate) -> null;

    /**
     * The interceptor that traces {@code backend}'s requests, placed first in its client so its span
     * covers retries and waits, or {@code null} for none.
     *
     * @param backend the backend's label ({@link BackendSpec#name()})
     * @param propagateContext whether to send the W3C trace context headers to the backend
     *     ({@link BackendSpec#propagateTraceContext()})
     */
    Interceptor interceptor(String backend, boolean propagateContext);
}
