package dev.bastion.security.outbound;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Waits that end early when the call is cancelled. OkHttp cancels a call (on {@code cancel()} and
 * when the call timeout fires) by closing its sockets, not by interrupting the calling thread, so
 * a plain {@code Thread.sleep} in an interceptor would outlive the call; this wait looks at the
 * call's state in short slices and also honours thread interrupts.
 */
final class CallAwareSleep {

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private CallAwareSleep() {
    }

    static void sleep(Call call, long nanos) throws IOException {
        long end = System.nanoTime() + nanos;
        while (true) {
            if (call.isCanceled()) {
                throw new IOException("Canceled");
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException failure = new InterruptedIOException("interrupted while waiting to call the backend");
                failure.initCause(e);
                throw failure;
            }
        }
    }
}
