package dev.bastion.app.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;

/**
 * The class loader of one plugin jar. Classes are looked up parent first, so a plugin shares the
 * application's core and security classes (and cannot replace them); service files are read from
 * the jar alone, so discovering the jar's providers does not find the application's again.
 */
final class PluginClassLoader extends URLClassLoader {

    private static final String SERVICES = "META-INF/services/";

    static {
        ClassLoader.registerAsParallelCapable();
    }

    PluginClassLoader(URL jar, ClassLoader parent) {
        super(new URL[] {jar}, parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith(SERVICES) ? findResources(name) : super.getResources(name);
    }

    @Override
    public URL getResource(String name) {
        return name.startsWith(SERVICES) ? findResource(name) : super.getResource(name);
    }
}
