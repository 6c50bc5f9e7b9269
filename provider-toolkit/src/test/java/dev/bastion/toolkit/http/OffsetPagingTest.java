package dev.bastion.toolkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetPagingTest {

    private final List<Integer> offsets = new ArrayList<>();

    /** A backend of {@code size} items that reports its total, or not, and says "more", or not. */
    private OffsetPaging.Fetch backend(int size, boolean reportsTotal, boolean saysMore) {
        return (offset, limit) -> {
            offsets.add(offset);
            List<JsonNode> items = new ArrayList<>();
            for (int i = offset; i < Math.min(size, offset + limit); i++) {
                items.add(IntNode.valueOf(i));
            }
            return new OffsetPaging.Page(items, reportsTotal ? size : -1,
                    saysMore ? offset + items.size() < size : null);
        };
    }

    @Test
    void aTotalIsFollowedToTheEnd() {
        OffsetPaging.Result result = OffsetPaging.readAll(100, 1000, backend(250, true, false));

        assertThat(result.items()).hasSize(250);
        assertThat(result.total()).isEqualTo(250);
        assertThat(result.truncated()).isFalse();
        assertThat(offsets).containsExactly(0, 100, 200);
    }

    @Test
    void withoutATotalAShortPageIsTheLastAndAFullOneIsNot() {
        assertThat(OffsetPaging.readAll(100, 1000, backend(250, false, false)).items()).hasSize(250);
        offsets.clear();

        OffsetPaging.Result exact = OffsetPaging.readAll(100, 1000, backend(200, false, false));

        assertThat(exact.items()).hasSize(200);
        assertThat(offsets).containsExactly(0, 100, 200);
    }

    @Test
    void theBackendsOwnLastPageSignalWins() {
        OffsetPaging.Result result = OffsetPaging.readAll(100, 1000, backend(200, false, true));

        assertThat(result.items()).hasSize(200);
        assertThat(offsets).containsExactly(0, 100);
    }

    @Test
    void aCapStopsTheReadingAndSaysSo() {
        OffsetPaging.Result capped = OffsetPaging.readAll(100, 150, backend(900, true, false));
        OffsetPaging.Result unknown = OffsetPaging.readAll(100, 100, backend(900, false, false));
        OffsetPaging.Result exactlyAll = OffsetPaging.readAll(100, 250, backend(250, true, false));

        assertThat(capped.items()).hasSize(150);
        assertThat(capped.truncated()).isTrue();
        assertThat(capped.total()).isEqualTo(900);
        assertThat(unknown.truncated()).isTrue();
        assertThat(unknown.total()).isGreaterThan(100);
        assertThat(exactlyAll.truncated()).isFalse();
    }
}
