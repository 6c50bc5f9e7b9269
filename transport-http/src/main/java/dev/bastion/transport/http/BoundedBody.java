package dev.bastion.transport.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body of at most a given size. Jetty's {@code Content.Source.asByteArrayAsync}
 * fails the request's content when the limit is passed but keeps its own read demand, so nothing
 * else can then read the rest of the body (which the refusal must discard, see
 * {@link Responses#refuse}); this reader stops at the limit with no demand left behind.
 * Completions run on a pool thread, never on a selector thread (a plain {@link Runnable} demand is
 * blocking to Jetty).
 */
final class BoundedBody implements Runnable {

    /** What became of the body. */
    interface Outcome {
        void received(byte[] body);

        /** More than the limit arrived; the rest of the body is still unread. */
        void tooLarge();

        void failed(Throwable failure);
    }

    private final Request request;
    private final int maxBytes;
    private final Outcome outcome;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private BoundedBody(Request request, int maxBytes, Outcome outcome) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.outcome = outcome;
    }

    static void read(Request request, int maxBytes, Outcome outcome) {
        new BoundedBody(request, maxBytes, outcome).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                chunk.release();
                outcome.failed(failure);
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (body.size() + bytes.remaining() > maxBytes) {
                chunk.release();
                outcome.tooLarge();
                return;
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.write(copy, 0, copy.length);
            chunk.release();
            if (last) {
                outcome.received(body.toByteArray());
                return;
            }
        }
    }
}
