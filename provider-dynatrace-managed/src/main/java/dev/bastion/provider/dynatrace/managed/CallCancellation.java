package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.tool.CallContext;
import okhttp3.Call;

/**
 * Ties backend HTTP calls to the tool call that made them, so that when the client cancels or the
 * deadline passes, the in-flight request is cancelled instead of running on. A tool runs on one
 * thread from start to end, which is why a thread-local is enough to carry the context to the
 * client without threading it through every tool.
 */
final class CallCancellation {

    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    private CallCancellation() {
    }

    interface Body<T, E extends Exception> {
        T run() throws E;
    }

    static <T, E extends Exception> T within(CallContext context, Body<T, E> body) throws E {
        CallContext previous = CURRENT.get();
        CURRENT.set(context);
        try {
            return body.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Cancels {@code call} when the current tool call is cancelled (at once if it already was). */
    static void register(Call call) {
        CallContext context = CURRENT.get();
        if (context != null) {
            context.onCancel(call::cancel);
        }
    }

    static boolean cancelled() {
        CallContext context = CURRENT.get();
        return context != null && context.isCancelled();
    }
}
