package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an offset-paged list to its end, or to a cap that the result states: APIs that take
 * {@code skip}/{@code start} and {@code limit} and say (or not) how many there are. The one set of
 * stop rules: the backend says it was the last page; or the offset reached the total it gave; or,
 * when it gives no total, a page came back shorter than asked (or empty). A list is never cut
 * without {@link Result#truncated()} saying so.
 */
public final class OffsetPaging {

    private OffsetPaging() {
    }

    /**
     * One page as the backend answered it.
     *
     * @param items the page's items
     * @param total the backend's count of all matches, or {@code -1} when it gives none
     * @param more whether the backend says more pages follow ({@code false} on its last page), or
     *     {@code null} when it does not say
     */
    public record Page(List<JsonNode> items, long total, Boolean more) {
        public Page {
            items = List.copyOf(requireNonNull(items, "items is null"));
        }

        /** A page of {@code array}'s elements with the backend's {@code total} ({@code -1} for none). */
        public static Page of(JsonNode array, long total) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(items::add);
            return new Page(items, total, null);
        }
    }

    /** Fetches the page at {@code offset} of at most {@code limit} items. */
    @FunctionalInterface
    public interface Fetch {
        Page fetch(int offset, int limit);
    }

    /**
     * What was read.
     *
     * @param items the items, at most the cap
     * @param total the backend's total ({@code max} of it and the items read), or the items read when it gave none
     * @param truncated whether the cap stopped the reading while more items existed
     */
    public record Result(List<JsonNode> items, long total, boolean truncated) {
        public Result {
            items = List.copyOf(items);
        }
    }

    /** Reads pages of {@code pageSize} from offset 0 until the end or {@code cap} items. */
    public static Result readAll(int pageSize, int cap, Fetch fetch) {
        if (pageSize < 1 || cap < 1) {
            throw new IllegalArgumentException("pageSize and cap must be positive");
        }
        requireNonNull(fetch, "fetch is null");
        List<JsonNode> items = new ArrayList<>();
        long total = -1;
        int offset = 0;
        while (true) {
            Page page = fetch.fetch(offset, pageSize);
            if (page.total() >= 0) {
                total = page.total();
            }
            for (JsonNode item : page.items()) {
                if (items.size() == cap) {
                    return new Result(items, Math.max(total, items.size() + 1L), true);
                }
                items.add(item);
            }
            offset += page.items().size();
            boolean last = page.items().isEmpty()
                    || (page.more() != null ? !page.more()
                    : page.total() >= 0 ? offset >= page.total() : page.items().size() < pageSize);
            if (last) {
                return new Result(items, Math.max(total, items.size()), false);
            }
            if (items.size() == cap) {
                return new Result(items, Math.max(total, items.size() + 1L), true);
            }
        }
    }
}
