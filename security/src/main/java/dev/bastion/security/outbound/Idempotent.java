package dev.bastion.security.outbound;

import okhttp3.Request;

/**
 * A request tag that marks a request whose method is not idempotent by definition (such as a
 * {@code POST} that only runs a query) as safe to send again, so busy answers ({@code 429},
 * {@code 503}) are retried for it too. {@code GET}, {@code HEAD}, {@code OPTIONS}, {@code PUT}
 * and {@code DELETE} are retried without it; an untagged {@code POST} or {@code PATCH} never is.
 *
 * <pre>{@code
 * Request request = Idempotent.mark(new Request.Builder().url(url).post(body)).build();
 * }</pre>
 */
public final class Idempotent {

    /** The tag value; the tag's type is {@code Idempotent.class}. */
    public static final Idempotent TAG = new Idempotent();

    private Idempotent() {
    }

    /** Tags {@code builder}'s request as idempotent and returns the builder. */
    public static Request.Builder mark(Request.Builder builder) {
        return builder.tag(Idempotent.class, TAG);
    }

    /** Whether {@code request} may be sent again after a busy answer. */
    public static boolean isIdempotent(Request request) {
        return switch (request.method()) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> request.tag(Idempotent.class) != null;
        };
    }
}
