package dev.bastion.security.outbound;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries idempotent requests that the backend answered with {@code 429 Too Many Requests} or
 * {@code 503 Service Unavailable}: at most {@link #MAX_ATTEMPTS} attempts, waiting what
 * {@code Retry-After} asks or else an exponential backoff. A wait longer than
 * {@link #MAX_SINGLE_WAIT} or than the call's remaining time budget is not taken: the busy answer
 * goes back to the provider at once so it can tell the model when to try again.
 */
final class BusyRetryInterceptor implements Interceptor {

    static final int MAX_ATTEMPTS = 3;
    static final Duration MAX_SINGLE_WAIT = Duration.ofSeconds(30);
    private static final long BASE_BACKOFF_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(BusyRetryInterceptor.class);

    private final String backendName;

    BusyRetryInterceptor(String backendName) {
        this.backendName = backendName;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        long started = System.nanoTime();
        Response response = chain.proceed(request);
        if (!Idempotent.isIdempotent(request) || request.body() != null && request.body().isOneShot()) {
            return response;
        }
        for (int attempt = 1; attempt < MAX_ATTEMPTS && isBusy(response.code()); attempt++) {
            Duration wait = retryAfter(response).orElse(backoff(attempt));
            if (wait.compareTo(MAX_SINGLE_WAIT) > 0 || !fitsBudget(chain, started, wait)) {
                return response;
            }
            int code = response.code();
            response.close();
            LOG.debug("{} answered {}; attempt {} of {} in {} ms", backendName, code, attempt + 1, MAX_ATTEMPTS,
                    wait.toMillis());
            CallAwareSleep.sleep(chain.call(), wait.toNanos());
            response = chain.proceed(request);
        }
        return response;
    }

    /** 0.5 s, 1 s, 2 s … each with up to half of it taken off at random, so clients spread out. */
    private static Duration backoff(int attempt) {
        long full = BASE_BACKOFF_MILLIS << (attempt - 1);
        return Duration.ofMillis(full - ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    static boolean isBusy(int code) {
        return code == 429 || code == 503;
    }

    /**
     * Whether waiting still leaves time for another attempt. The budget is the call's own timeout,
     * which is the spec's call timeout unless the caller shortened it for this call.
     */
    private static boolean fitsBudget(Chain chain, long startedNanos, Duration wait) {
        long budget = chain.call().timeout().timeoutNanos();
        if (budget == 0) {
            return true;
        }
        long left = budget - (System.nanoTime() - startedNanos);
        return wait.toNanos() < left;
    }

    /**
     * The wait a {@code Retry-After} header asks for, as delay seconds or an HTTP date; empty when
     * the header is absent or unreadable.
     */
    static Optional<Duration> retryAfter(Response response) {
        String value = response.header("Retry-After");
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
            // Nine digits are over 30 years; longer values only need to compare as "too long".
            return Optional.of(trimmed.length() > 9 ? Duration.ofSeconds(999_999_999L)
                    : Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        Date date = response.headers().getDate("Retry-After");
        if (date == null) {
            return Optional.empty();
        }
        Duration until = Duration.between(Instant.now(), date.toInstant());
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
    }
}
