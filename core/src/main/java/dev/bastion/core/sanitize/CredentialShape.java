package dev.bastion.core.sanitize;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The shape of a backend's credentials, declared by its provider so that the redactor recognises
 * them anywhere (tool output, errors, logs) even when they were never configured: a vendor token
 * pasted into an argument, echoed by a backend, or printed by a library.
 *
 * <p>A shape is an {@code anchor}, the text every such credential starts with (at least three
 * characters, such as {@code dt0}), and a {@link Matcher} that decides, at a position where the
 * anchor was found, how far the credential reaches. The anchor is found regardless of case, and a
 * matcher should accept upper- and lower-cased credentials too: a credential echoed in upper
 * case is still a credential.
 *
 * <p>Shapes are values: two providers declaring equal shapes (the same constant) cost nothing
 * extra, and two different shapes that match the same text are harmless, since the one that
 * reaches furthest wins.
 *
 * @param name a short name for diagnostics, such as {@code dynatrace-token}; never shown with a value
 * @param anchor the text a credential of this shape starts with, compared without regard to case
 * @param matcher where a credential starting at the anchor ends
 */
public record CredentialShape(String name, String anchor, Matcher matcher) {

    /** The shortest anchor: the redactor finds candidates by their first three characters. */
    public static final int MIN_ANCHOR_LENGTH = 3;

    public CredentialShape {
        requireNonNull(name, "name is null");
        requireNonNull(anchor, "anchor is null");
        requireNonNull(matcher, "matcher is null");
        if (anchor.length() < MIN_ANCHOR_LENGTH) {
            throw new IllegalArgumentException("the anchor of credential shape " + name + " must have at least "
                    + MIN_ANCHOR_LENGTH + " characters");
        }
    }

    /** Decides how far a credential reaches once its anchor was found. */
    @FunctionalInterface
    public interface Matcher {

        /**
         * Looks at {@code text} from {@code start}, where the anchor was found (in any case). It must
         * not throw for any input, and its work must be bounded by what it consumes: when it does
         * not match, it should give up after a bounded look-ahead, because the redactor runs over
         * every log line and every tool result.
         *
         * @return the credential's extent, or empty when the text there is not such a credential
         */
        Optional<Match> match(CharSequence text, int start);
    }

    /**
     * A credential found at {@code start}.
     *
     * @param end the index just after the credential
     * @param keptPrefix how many of its first characters are not secret and may stay visible, such
     *     as the 7 of {@code dt0c01.}; 0 hides the credential entirely
     * @param secretParts the parts of the credential that are secret on their own (a token's secret
     *     half after its public id), as offsets relative to {@code start}; when such a credential is
     *     registered as a configured secret, each part is redacted wherever it appears alone
     */
    public record Match(int end, int keptPrefix, List<Part> secretParts) {

        public Match {
            if (keptPrefix < 0) {
                throw new IllegalArgumentException("keptPrefix must not be negative");
            }
            secretParts = List.copyOf(requireNonNull(secretParts, "secretParts is null"));
        }

        /** A credential with no part that is secret on its own (beyond all of it after the prefix). */
        public static Match of(int end, int keptPrefix) {
            return new Match(end, keptPrefix, List.of());
        }
    }

    /**
     * A part of a credential, {@code [from, to)} relative to the credential's start.
     */
    public record Part(int from, int to) {
        public Part {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("a part needs 0 <= from < to, not " + from + ".." + to);
            }
        }
    }
}
