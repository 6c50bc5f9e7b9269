package dev.bastion.app.config;

import dev.bastion.core.spi.SettingBinder;
import java.util.Collection;

/** Suggests the closest known name for a misspelled one, with the same rule as unknown setting keys. */
final class DidYouMean {

    private DidYouMean() {
    }

    /** {@code "; did you mean X?"} or nothing. */
    static String hint(String unknown, Collection<String> known, String prefix) {
        return SettingBinder.didYouMean(unknown, known, prefix);
    }
}
