package dev.bastion.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths and commands for the integration tests that run the bundled jar as a separate process. */
final class BastionJar {

    private BastionJar() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("bastion.jar", "target/bastion.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: integration tests run after `mvn package`");
        }
        return jar;
    }

    static Path itJar(String name) {
        return Path.of(System.getProperty("bastion.it.jars", "target/it-jars")).resolve(name + ".jar");
    }

    static Path testClasses() {
        return Path.of(System.getProperty("bastion.test.classes", "target/test-classes"));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar bastion.jar ARGS}. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** {@code java -cp bastion.jar:EXTRA dev.bastion.app.Main ARGS}: the bundled jar plus more classpath. */
    static List<String> commandWithClasspath(List<Path> extra, String... args) {
        StringBuilder classpath = new StringBuilder(jar().toString());
        extra.forEach(path -> classpath.append(java.io.File.pathSeparator).append(path));
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classpath.toString(), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
