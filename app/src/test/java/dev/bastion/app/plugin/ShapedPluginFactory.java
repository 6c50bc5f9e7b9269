package dev.bastion.app.plugin;

import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import java.util.List;
import java.util.Optional;

/** A plugin provider that declares one credential shape: {@code shp1.} and 12 or more letters or digits. */
public class ShapedPluginFactory implements ProviderFactory {

    public static final String ID = "shaped-plugin";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    @Override
    public List<CredentialShape> credentialShapes() {
        return List.of(new CredentialShape("shaped-plugin-key", "shp1.", (text, start) -> {
            int end = start + 5;
            while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
                end++;
            }
            return end - (start + 5) >= 12 ? Optional.of(CredentialShape.Match.of(end, 5)) : Optional.empty();
        }));
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        throw new UnsupportedOperationException("only its credential shapes are used");
    }
}
