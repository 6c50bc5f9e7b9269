package dev.bastion.app.config;

import dev.bastion.core.spi.Setting;
import java.util.List;
import java.util.Optional;

/**
 * Adapts the core conversion of setting values ({@link dev.bastion.core.spi.SettingValues}) to the
 * loader's problem collection. Error messages never quote the offending value, which may be a
 * credential in the wrong setting.
 */
final class SettingValues {

    private SettingValues() {
    }

    /**
     * @param setting the setting
     * @param text the value as text (for LIST: comma-separated; for JSON: JSON text)
     * @param source where the value came from, named in the error
     * @param problems receives a problem when the text does not convert
     */
    static Optional<Object> fromText(Setting setting, String text, String source, Problems problems) {
        try {
            return Optional.of(dev.bastion.core.spi.SettingValues.fromText(setting, text));
        } catch (dev.bastion.core.spi.SettingValues.InvalidValueException invalid) {
            // "source has …", never "source: …": the redactor would read "api_token: the" as a credential.
            problems.add(source + " has " + (setting.secret() ? "a secret value" : "a value") + " that "
                    + invalid.getMessage());
            return Optional.empty();
        }
    }

    /** A list from a YAML sequence of scalars. */
    static List<String> fromSequence(List<String> items) {
        return dev.bastion.core.spi.SettingValues.fromSequence(items);
    }
}
