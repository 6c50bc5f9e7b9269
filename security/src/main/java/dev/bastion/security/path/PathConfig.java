package dev.bastion.security.path;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File access settings of the {@code security} section.
 *
 * @param allowedRoots the directories tools may read and write below; empty means no file access
 * @param maxLength the longest path accepted, in characters
 */
public record PathConfig(List<Path> allowedRoots, int maxLength) {

    public static final int DEFAULT_MAX_LENGTH = 4096;

    public PathConfig {
        allowedRoots = List.copyOf(requireNonNull(allowedRoots, "allowedRoots is null"));
        if (maxLength < 1) {
            throw new ProviderConfigException("security.paths.max_length must be at least 1, not " + maxLength);
        }
    }

    /** The settings this package reads, keys relative to the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                Setting.builder("paths.allowed_roots", SettingType.LIST)
                        .env("BASTION_ALLOWED_ROOTS")
                        .description("Directories that file tools may use; nothing outside them, symbolic links "
                                + "included. Empty means no file access.")
                        .build(),
                Setting.builder("paths.max_length", SettingType.INTEGER)
                        .env("BASTION_PATHS_MAX_LENGTH")
                        .defaultValue(String.valueOf(DEFAULT_MAX_LENGTH))
                        .format(FormatCheck.atLeast(1))
                        .description("The longest file path accepted, in characters.")
                        .build());
    }

    /** Reads the typed values from the resolved {@code security} section. */
    public static PathConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        List<Path> roots = new ArrayList<>();
        for (String root : section.list("paths.allowed_roots")) {
            try {
                Path path = Path.of(root);
                if (!path.isAbsolute()) {
                    throw new ProviderConfigException("security.paths.allowed_roots: '" + root
                            + "' is not an absolute path");
                }
                roots.add(path);
            } catch (InvalidPathException e) {
                throw new ProviderConfigException("security.paths.allowed_roots: '" + root + "' is not a valid path");
            }
        }
        return new PathConfig(roots, section.integer("paths.max_length").orElse(DEFAULT_MAX_LENGTH));
    }
}
