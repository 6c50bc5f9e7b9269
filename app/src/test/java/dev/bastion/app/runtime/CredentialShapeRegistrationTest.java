package dev.bastion.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.app.plugin.ShapedPluginFactory;
import dev.bastion.core.spi.ProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential shapes of every discovered provider, classpath and plugin jar alike, reach the redactor at load. */
class CredentialShapeRegistrationTest {

    @TempDir
    Path dir;

    @Test
    void registersTheShapesOfClasspathAndPluginProviders() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        String classFile = ShapedPluginFactory.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ShapedPluginFactory.class.getClassLoader().getResourceAsStream(classFile);
             OutputStream file = Files.newOutputStream(plugins.resolve("shaped.jar"));
             JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry(classFile));
            jar.write(in.readAllBytes());
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/" + ProviderFactory.class.getName()));
            jar.write((ShapedPluginFactory.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        try (BastionRuntime.Loaded loaded = BastionRuntime.load(new LaunchOptions(Optional.empty(),
                Optional.of(plugins), true, Map.of()))) {
            assertThat(loaded.discovered().byId(ShapedPluginFactory.ID)).isPresent();
            assertThat(loaded.redactor().redact("plugin key SHP1.ABCDEF0123456789 end"))
                    .isEqualTo("plugin key SHP1.[REDACTED] end");
            assertThat(loaded.redactor().redact("dynatrace dt0c01.ABCDEF0123456789.XYZ0123456789 end"))
                    .isEqualTo("dynatrace dt0c01.[REDACTED] end");
        }
    }
}
