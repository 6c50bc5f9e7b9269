package dev.bastion.app.config;

import java.util.Collection;
import java.util.Optional;

/** The configuration loader's name for {@link dev.bastion.core.spi.DidYouMean}, which the transports use too. */
final class DidYouMean {

    private DidYouMean() {
    }

    static Optional<String> closest(String unknown, Collection<String> known) {
        return dev.bastion.core.spi.DidYouMean.closest(unknown, known);
    }

    static String hint(String unknown, Collection<String> known, String prefix) {
        return dev.bastion.core.spi.DidYouMean.hint(unknown, known, prefix);
    }
}
