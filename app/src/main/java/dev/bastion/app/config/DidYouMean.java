package dev.bastion.app.config;

import java.util.Collection;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** Suggests the closest known name for a misspelled one. */
final class DidYouMean {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private DidYouMean() {
    }

    /** The known name closest to {@code unknown}, when it is close enough to be a plausible typo. */
    static Optional<String> closest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = DISTANCE.apply(unknown.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // A third of the length, at least two edits: catches swapped and dropped letters without
        // suggesting unrelated keys for short names.
        int limit = Math.max(2, unknown.length() / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean X?"} or nothing. */
    static String hint(String unknown, Collection<String> known, String prefix) {
        return closest(unknown, known).map(match -> "; did you mean " + prefix + match + "?").orElse("");
    }
}
