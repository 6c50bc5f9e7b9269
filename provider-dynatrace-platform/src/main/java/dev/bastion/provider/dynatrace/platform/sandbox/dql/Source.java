package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import java.util.ArrayList;
import java.util.List;

/** The query text with its line starts, to turn offsets into 1-based line and column and to raise positioned errors. */
final class Source {

    private final String text;
    private final int[] lineStarts;

    Source(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    String text() {
        return text;
    }

    int line(int index) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    int column(int index) {
        return index - lineStarts[line(index) - 1] + 1;
    }

    /** An error covering offsets [start, end) (at least one character). */
    DqlException error(String code, String message, int start, int end, String... arguments) {
        int s = Math.max(0, Math.min(start, text.length()));
        int last = Math.max(s, end - 1);
        return new DqlException(code, message, line(s), column(s), s, line(last), column(last), last, List.of(arguments));
    }

    DqlException error(String code, String message, Pos pos, String... arguments) {
        return error(code, message, pos.start(), pos.end(), arguments);
    }

    DqlException error(String code, String message, Token token, String... arguments) {
        return error(code, message, token.start(), token.end(), arguments);
    }
}
