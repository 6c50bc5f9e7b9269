package dev.bastion.provider.dynatrace.platform;

import dev.bastion.core.tool.ToolFailure;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Grail bytes this server may scan in one environment, counted per server process from each
 * result's {@code scannedBytes}. Warnings come with the results that cross 50 %, 80 % and 100 %; a
 * new query is refused once the budget is used up, until it is raised or reset.
 */
final class GrailBudget {

    private final String environment;
    private final long limitBytes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();

    /** @param limitBytes the budget, or {@code -1} for none */
    GrailBudget(String environment, long limitBytes) {
        this.environment = environment;
        this.limitBytes = limitBytes;
    }

    /** Refuses a new query when the budget is used up. */
    void checkBeforeQuery() {
        if (limitBytes >= 0 && used.get() >= limitBytes) {
            throw new ToolFailure("The Grail query budget of environment " + environment + " is used up: "
                    + gb(used.get()) + " of " + gb(limitBytes) + " scanned by this server. The user can raise"
                    + " budget_gb (DT_GRAIL_QUERY_BUDGET_GB) and restart, or approve a reset of the budget");
        }
    }

    /** Counts a result's scanned bytes; the warning for a threshold it crossed, or {@code null}. */
    String record(long scannedBytes) {
        queries.incrementAndGet();
        long before = used.getAndAdd(Math.max(0, scannedBytes));
        long after = before + Math.max(0, scannedBytes);
        if (limitBytes < 0) {
            return null;
        }
        for (int percent : new int[] {100, 80, 50}) {
            long threshold = limitBytes * percent / 100;
            if (before < threshold && after >= threshold) {
                return "This query brought the Grail budget of environment " + environment + " to " + percent + " % ("
                        + gb(after) + " of " + gb(limitBytes) + ")" + (percent == 100 ? "; new queries are refused"
                        + " until the budget is raised or reset" : "") + ".";
            }
        }
        return null;
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limitBytes;
    }

    long queries() {
        return queries.get();
    }

    /** Starts counting again from zero; the bytes counted before. */
    long reset() {
        queries.set(0);
        return used.getAndSet(0);
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.3f GB", bytes / 1e9);
    }
}
