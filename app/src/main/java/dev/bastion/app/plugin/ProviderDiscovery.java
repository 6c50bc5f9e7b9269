package dev.bastion.app.plugin;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link ProviderFactory} implementations with {@link ServiceLoader}: first on the
 * application class path, then in every {@code *.jar} of the plugin directory, each jar in its own
 * class loader whose parent is the application class loader. Fails fast, listing every problem: an
 * unusable plugin directory or jar, a provider class that cannot be loaded, or two providers with
 * the same id. Every provider found is logged once at INFO.
 */
public final class ProviderDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderDiscovery.class);
    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]*$");
    private static final Pattern NOT_FOUND = Pattern.compile("^Provider (\\S+) not found$");
    private static final Pattern NOT_SUBTYPE = Pattern.compile("^(?:Provider )?(\\S+) not a subtype$");
    private static final String SERVICE_PREFIX = ProviderFactory.class.getName() + ": ";
    private static final String SERVICE_FILE = "META-INF/services/" + ProviderFactory.class.getName();

    private final ClassLoader applicationLoader;
    private final Optional<Path> defaultPluginDirectory;

    /**
     * @param applicationLoader the class loader of the application class path; parent of every plugin loader
     * @param defaultPluginDirectory the plugin directory used when none is given explicitly; it may be absent on disk
     */
    public ProviderDiscovery(ClassLoader applicationLoader, Optional<Path> defaultPluginDirectory) {
        this.applicationLoader = requireNonNull(applicationLoader, "applicationLoader is null");
        this.defaultPluginDirectory = requireNonNull(defaultPluginDirectory, "defaultPluginDirectory is null");
    }

    /** Discovery from the application's class loader, with {@code plugins/} beside the running jar as default directory. */
    public static ProviderDiscovery forApplication() {
        return new ProviderDiscovery(ProviderDiscovery.class.getClassLoader(), pluginsBesideJar(ProviderDiscovery.class));
    }

    /**
     * The {@code plugins} directory beside the jar {@code anchor} was loaded from; empty when it was
     * not loaded from a jar (running from a build's class directory, say).
     */
    public static Optional<Path> pluginsBesideJar(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            boolean jar = Files.isRegularFile(location) && location.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
            return jar && location.getParent() != null ? Optional.of(location.getParent().resolve("plugins")) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Discovers the providers.
     *
     * @param explicitPluginDirectory the directory given with {@code --plugin-dir}; it must exist.
     *     When empty, the default directory is used if it exists.
     * @throws PluginException listing every problem found
     */
    public DiscoveredProviders discover(Optional<Path> explicitPluginDirectory) {
        requireNonNull(explicitPluginDirectory, "explicitPluginDirectory is null");
        List<String> problems = new ArrayList<>();
        List<DiscoveredProvider> found = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();

        load(ServiceLoader.load(ProviderFactory.class, applicationLoader), DiscoveredProvider.CLASSPATH, found, problems);

        Optional<Path> directory = explicitPluginDirectory.or(() -> defaultPluginDirectory.filter(Files::exists));
        if (explicitPluginDirectory.isPresent() && !Files.exists(explicitPluginDirectory.get())) {
            problems.add("Plugin directory " + explicitPluginDirectory.get() + " does not exist");
        } else if (directory.isPresent()) {
            for (Path jar : jars(directory.get(), problems)) {
                loadJar(jar, found, problems, loaders);
            }
        }

        Map<String, DiscoveredProvider> byId = new LinkedHashMap<>();
        for (DiscoveredProvider provider : found) {
            DiscoveredProvider previous = byId.putIfAbsent(provider.id(), provider);
            if (previous != null) {
                problems.add("Provider id '" + provider.id() + "' is provided twice: by " + previous.source()
                        + " and by " + provider.source() + "; remove one of them");
            }
        }
        DiscoveredProviders result = new DiscoveredProviders(found, loaders);
        if (!problems.isEmpty()) {
            result.close();
            throw new PluginException(problems);
        }
        for (DiscoveredProvider provider : found) {
            LOG.info("Provider {} from {}", provider.id(), provider.source());
        }
        return result;
    }

    private static List<Path> jars(Path directory, List<String> problems) {
        if (!Files.isDirectory(directory)) {
            problems.add("Plugin directory " + directory + " is not a directory");
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add("Plugin directory " + directory + " cannot be read");
            return List.of();
        }
    }

    private void loadJar(Path jar, List<DiscoveredProvider> found, List<String> problems, List<URLClassLoader> loaders) {
        try {
            // Opened only to reject a corrupt file with a clear message; the class loader opens it again.
            new JarFile(jar.toFile()).close();
        } catch (IOException e) {
            problems.add("Plugin jar " + jar + " is not a readable jar file");
            return;
        }
        URLClassLoader loader;
        try {
            loader = new PluginClassLoader(jar.toUri().toURL(), applicationLoader);
        } catch (MalformedURLException e) {
            problems.add("Plugin jar " + jar + " has a path that cannot be loaded");
            return;
        }
        loaders.add(loader);
        int before = found.size();
        int problemsBefore = problems.size();
        load(ServiceLoader.load(ProviderFactory.class, loader), jar.toString(), found, problems);
        if (found.size() == before && problems.size() == problemsBefore) {
            LOG.warn("Plugin jar {} contains no provider (no {} entry)", jar, SERVICE_FILE);
        }
    }

    private static void load(ServiceLoader<ProviderFactory> services, String source, List<DiscoveredProvider> found,
            List<String> problems) {
        Iterator<ProviderFactory> iterator = services.iterator();
        while (true) {
            ProviderFactory factory;
            try {
                if (!iterator.hasNext()) {
                    return;
                }
                factory = iterator.next();
            } catch (ServiceConfigurationError e) {
                // After a failure the lookup cannot always move past the faulty entry: stop this source.
                problems.add("Cannot load providers from " + source + ": " + describe(e));
                return;
            } catch (LinkageError e) {
                problems.add("Cannot load providers from " + source + ": a provider class needs a class that is missing "
                        + "or incompatible (" + e.getMessage() + ")");
                return;
            }
            String className = factory.getClass().getName();
            String id;
            try {
                id = factory.id();
            } catch (RuntimeException e) {
                problems.add("Provider " + className + " from " + source + " failed to report its id");
                continue;
            }
            if (id == null || !ID.matcher(id).matches()) {
                problems.add("Provider " + className + " from " + source + " has an invalid id '" + id
                        + "' (use kebab-case: lowercase letters, digits and '-')");
                continue;
            }
            found.add(new DiscoveredProvider(factory, source));
        }
    }

    private static String describe(ServiceConfigurationError error) {
        String message = error.getMessage() == null ? "invalid service entry" : error.getMessage();
        if (message.startsWith(SERVICE_PREFIX)) {
            message = message.substring(SERVICE_PREFIX.length());
        }
        // The JDK words these inconsistently ("Provider X not found", "X not a subtype"): normalise.
        Matcher notFound = NOT_FOUND.matcher(message);
        Matcher notSubtype = NOT_SUBTYPE.matcher(message);
        if (notFound.matches()) {
            message = "provider class " + notFound.group(1) + " not found";
        } else if (notSubtype.matches()) {
            message = "provider class " + notSubtype.group(1) + " does not implement " + ProviderFactory.class.getName();
        } else if (message.startsWith("Provider ")) {
            message = "provider class " + message.substring("Provider ".length());
        }
        Throwable cause = error.getCause();
        if (cause != null) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message += root.getMessage() == null ? "" : " (" + root.getMessage() + ")";
        }
        return message + " (listed in " + SERVICE_FILE + ")";
    }
}
