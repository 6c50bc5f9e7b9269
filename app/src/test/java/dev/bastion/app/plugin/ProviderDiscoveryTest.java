package dev.bastion.app.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.ProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ProviderDiscoveryTest {

    private static final String SERVICE_FILE = "META-INF/services/" + ProviderFactory.class.getName();
    private static final String TEST_CLASS_FILE = PluginTestFactory.class.getName().replace('.', '/') + ".class";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger discoveryLogger = (Logger) LoggerFactory.getLogger(ProviderDiscovery.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        discoveryLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        discoveryLogger.detachAppender(logs);
    }

    private Path pluginDir() throws IOException {
        return Files.createDirectories(dir.resolve("plugins"));
    }

    private static byte[] testClassBytes() throws IOException {
        try (InputStream in = PluginTestFactory.class.getClassLoader().getResourceAsStream(TEST_CLASS_FILE)) {
            return in.readAllBytes();
        }
    }

    private static Path writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] serviceFile(String... classNames) {
        return ("# providers\n" + String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The test class loader without the provider service files of the test classpath (the app's
     * test fixtures and the docs example), so these tests see only the providers they set up.
     */
    private static ClassLoader withoutClasspathProviders() {
        String services = "META-INF/services/" + ProviderFactory.class.getName();
        return new ClassLoader(ProviderDiscoveryTest.class.getClassLoader()) {
            @Override
            public java.util.Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(services) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
            }
        };
    }

    /** An application class loader whose class path lists the test factory as a service. */
    private ClassLoader classpathWithTestProvider() throws IOException {
        Path root = dir.resolve("app-classes");
        Path services = Files.createDirectories(root.resolve("META-INF/services"));
        Files.write(services.resolve(ProviderFactory.class.getName()), serviceFile(PluginTestFactory.class.getName()));
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, withoutClasspathProviders());
    }

    private static String providerLogs(ListAppender<ILoggingEvent> appender) {
        return String.join("\n", appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void discoversClasspathProvidersAndLogsEachOnce() throws IOException {
        ProviderDiscovery discovery = new ProviderDiscovery(classpathWithTestProvider(), Optional.empty());

        try (DiscoveredProviders providers = discovery.discover(Optional.empty())) {
            assertThat(providers.all()).singleElement().satisfies(provider -> {
                assertThat(provider.id()).isEqualTo(PluginTestFactory.ID);
                assertThat(provider.source()).isEqualTo(DiscoveredProvider.CLASSPATH);
            });
            assertThat(providers.factories()).singleElement().isInstanceOf(PluginTestFactory.class);
        }
        assertThat(logs.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage).containsExactly("Provider plugin-test from classpath");
    }

    @Test
    void discoversProviderFromPluginJarWithItsPathAsSource() throws IOException {
        Path jar = writeJar(pluginDir().resolve("plugin-test.jar"),
                Map.of(TEST_CLASS_FILE, testClassBytes(), SERVICE_FILE, serviceFile(PluginTestFactory.class.getName())));
        Files.writeString(pluginDir().resolve("README.txt"), "not a jar, ignored");

        ProviderDiscovery discovery = new ProviderDiscovery(withoutClasspathProviders(), Optional.empty());
        try (DiscoveredProviders providers = discovery.discover(Optional.of(pluginDir()))) {
            assertThat(providers.all()).singleElement().satisfies(provider -> {
                assertThat(provider.id()).isEqualTo(PluginTestFactory.ID);
                assertThat(provider.source()).isEqualTo(jar.toString());
            });
            assertThat(providers.byId(PluginTestFactory.ID)).isPresent();
        }
        assertThat(providerLogs(logs)).contains("Provider plugin-test from " + jar);
    }

    @Test
    void loadsAPluginClassThatExistsOnlyInTheJarAndSharesCoreClasses() throws Exception {
        Path sources = Files.createDirectories(dir.resolve("src/acme"));
        Files.writeString(sources.resolve("AcmeFactory.java"), """
                package acme;
                import dev.bastion.core.spi.*;
                public class AcmeFactory implements ProviderFactory {
                    public String id() { return "acme"; }
                    public ConfigSpec configSpec() { return ConfigSpec.of(); }
                    public Provider create(ProviderConfig config, ProviderContext context) {
                        throw new UnsupportedOperationException();
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = location(ProviderFactory.class) + java.io.File.pathSeparator + location(JsonNode.class);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-classpath", classpath,
                sources.resolve("AcmeFactory.java").toString());
        assertThat(status).isZero();
        writeJar(pluginDir().resolve("acme.jar"), Map.of(
                "acme/AcmeFactory.class", Files.readAllBytes(classes.resolve("acme/AcmeFactory.class")),
                SERVICE_FILE, serviceFile("acme.AcmeFactory")));

        try (DiscoveredProviders providers = new ProviderDiscovery(withoutClasspathProviders(), Optional.of(pluginDir()))
                .discover(Optional.empty())) {
            ProviderFactory factory = providers.byId("acme").orElseThrow().factory();
            assertThat(factory.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
            assertThat(factory).isInstanceOf(ProviderFactory.class);
            assertThat(factory.toolPrefix()).isEqualTo("acme_");
        }
        assertThatThrownBy(() -> Class.forName("acme.AcmeFactory", false, getClass().getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void rejectsSameIdOnClasspathAndInPluginJarNamingBothSources() throws IOException {
        Path jar = writeJar(pluginDir().resolve("duplicate.jar"),
                Map.of(TEST_CLASS_FILE, testClassBytes(), SERVICE_FILE, serviceFile(PluginTestFactory.class.getName())));

        ProviderDiscovery discovery = new ProviderDiscovery(classpathWithTestProvider(), Optional.empty());

        assertThatThrownBy(() -> discovery.discover(Optional.of(pluginDir())))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                        "Provider id 'plugin-test' is provided twice: by classpath and by " + jar + "; remove one of them"));
    }

    @Test
    void reportsJarListingMissingClassByJarAndClassWithoutStackTrace() throws IOException {
        Path jar = writeJar(pluginDir().resolve("broken.jar"), Map.of(SERVICE_FILE, serviceFile("com.acme.MissingFactory")));

        ProviderDiscovery discovery = new ProviderDiscovery(withoutClasspathProviders(), Optional.empty());

        assertThatThrownBy(() -> discovery.discover(Optional.of(pluginDir())))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.problems()).containsExactly("Cannot load providers from " + jar
                            + ": provider class com.acme.MissingFactory not found (listed in " + SERVICE_FILE + ")");
                    assertThat(e.getMessage()).doesNotContain("\tat ").doesNotContain("Exception");
                });
    }

    @Test
    void reportsServiceEntryThatIsNotAProviderFactory() throws IOException {
        Path jar = writeJar(pluginDir().resolve("wrong-type.jar"), Map.of(SERVICE_FILE, serviceFile(ProviderDiscoveryTest.class.getName())));

        ProviderDiscovery discovery = new ProviderDiscovery(withoutClasspathProviders(), Optional.empty());

        assertThatThrownBy(() -> discovery.discover(Optional.of(pluginDir())))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                        "Cannot load providers from " + jar + ": provider class " + ProviderDiscoveryTest.class.getName() + " does not implement "
                                + ProviderFactory.class.getName() + " (listed in "
                                + SERVICE_FILE + ")"));
    }

    @Test
    void reportsProviderWhoseConstructorFails() throws IOException {
        Path jar = writeJar(pluginDir().resolve("failing.jar"), Map.of(SERVICE_FILE, serviceFile(FailingTestFactory.class.getName())));

        ProviderDiscovery discovery = new ProviderDiscovery(withoutClasspathProviders(), Optional.empty());

        assertThatThrownBy(() -> discovery.discover(Optional.of(pluginDir())))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                        "Cannot load providers from " + jar + ": provider class " + FailingTestFactory.class.getName()
                                + " could not be instantiated (license file missing) (listed in " + SERVICE_FILE + ")"));
    }

    @Test
    void reportsCorruptJarFile() throws IOException {
        Path jar = Files.writeString(pluginDir().resolve("corrupt.jar"), "this is not a zip file");

        ProviderDiscovery discovery = new ProviderDiscovery(withoutClasspathProviders(), Optional.empty());

        assertThatThrownBy(() -> discovery.discover(Optional.of(pluginDir())))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems())
                        .containsExactly("Plugin jar " + jar + " is not a readable jar file"));
    }

    @Test
    void missingExplicitDirectoryIsAnErrorButMissingDefaultIsFine() {
        Path absent = dir.resolve("absent");
        ProviderDiscovery discovery = new ProviderDiscovery(withoutClasspathProviders(), Optional.of(absent));

        try (DiscoveredProviders providers = discovery.discover(Optional.empty())) {
            assertThat(providers.all()).isEmpty();
        }
        assertThatThrownBy(() -> discovery.discover(Optional.of(absent)))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems())
                        .containsExactly("Plugin directory " + absent + " does not exist"));
    }

    @Test
    void explicitPathThatIsAFileIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("plugins.txt"), "x");

        assertThatThrownBy(() -> new ProviderDiscovery(withoutClasspathProviders(), Optional.empty()).discover(Optional.of(file)))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems())
                        .containsExactly("Plugin directory " + file + " is not a directory"));
    }

    @Test
    void warnsAboutJarWithoutProviders() throws IOException {
        Path jar = writeJar(pluginDir().resolve("empty.jar"), Map.of("readme.txt", "x".getBytes(StandardCharsets.UTF_8)));

        try (DiscoveredProviders providers = new ProviderDiscovery(withoutClasspathProviders(), Optional.empty())
                .discover(Optional.of(pluginDir()))) {
            assertThat(providers.all()).isEmpty();
        }
        assertThat(providerLogs(logs)).contains("Plugin jar " + jar + " contains no provider");
    }

    @Test
    void defaultDirectoryIsBesideTheJarOnly() throws Exception {
        assertThat(ProviderDiscovery.pluginsBesideJar(ProviderDiscoveryTest.class)).isEmpty();
        Path jarLocation = Path.of(Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(ProviderDiscovery.pluginsBesideJar(Logger.class)).contains(jarLocation.getParent().resolve("plugins"));
        assertThat(List.of(ProviderDiscovery.forApplication())).hasSize(1);
    }
}
