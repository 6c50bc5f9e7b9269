package dev.bastion.app;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code nginx} of its own for a test: a configuration generated into a directory of the
 * test (its prefix, with the pid file, logs and temporary files), in the foreground on a free port
 * of 127.0.0.1, never the machine's service.
 *
 * <p>A machine without {@code nginx} fails the test, so CI (which installs it, see
 * {@code scripts/ci-packages.sh}) cannot pass by skipping; {@code SKIP_NGINX_TESTS=1}
 * turns that into a skip for a developer who chose not to install it.
 */
final class NginxProcess implements AutoCloseable {

    static final String SKIP_VARIABLE = "SKIP_NGINX_TESTS";

    private final Path directory;
    private final int port;
    private final Process process;

    private NginxProcess(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /**
     * Started in {@code directory} with {@code http} as the body of its {@code http} block, in which
     * {@code $PORT} stands for the port it listens on.
     */
    static NginxProcess start(Path directory, String http) throws IOException, InterruptedException {
        Path executable = executable();
        int port = ServerProcess.freePort();
        Files.createDirectories(directory.resolve("logs"));
        Files.createDirectories(directory.resolve("temp"));
        Path conf = directory.resolve("nginx.conf");
        // Run as root (CI), nginx's workers would otherwise switch to nobody, who cannot enter the
        // test's private temporary directory.
        String user = "root".equals(System.getProperty("user.name")) ? "user root root;\n" : "";
        Files.writeString(conf, """
                %sworker_processes 1;
                pid %s;
                error_log %s info;
                events {
                    worker_connections 64;
                }
                http {
                    access_log %s;
                    client_body_temp_path %s;
                    proxy_temp_path %s;
                    fastcgi_temp_path %s;
                    uwsgi_temp_path %s;
                    scgi_temp_path %s;
                %s
                }
                """.formatted(user, directory.resolve("nginx.pid"), directory.resolve("logs/error.log"),
                directory.resolve("logs/access.log"), directory.resolve("temp/client_body"),
                directory.resolve("temp/proxy"), directory.resolve("temp/fastcgi"), directory.resolve("temp/uwsgi"),
                directory.resolve("temp/scgi"), http.replace("$PORT", Integer.toString(port))));
        Process process = new ProcessBuilder(executable.toString(), "-p", directory + "/", "-c", conf.toString(),
                "-e", directory.resolve("logs/error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(directory.resolve("logs/stdout.log").toFile()).start();
        NginxProcess nginx = new NginxProcess(directory, port, process);
        nginx.awaitListening();
        return nginx;
    }

    int port() {
        return port;
    }

    String errorLog() {
        try {
            return Files.readString(directory.resolve("logs/error.log")) + Files.readString(directory.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no error log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            // SIGTERM: nginx's fast shutdown, workers included.
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitListening() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited at start (exit code " + process.exitValue() + "): " + errorLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nginx did not listen on port " + port + " within 20 s: " + errorLog());
    }

    private static Path executable() {
        // /usr/sbin is not on every user's PATH.
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin"
                + File.pathSeparator + "/usr/local/sbin" + File.pathSeparator + "/usr/local/nginx/sbin";
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "nginx");
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "nginx is not installed: the replicas test runs a real one in front of two servers."
                + " Install it (apt-get install -y --no-install-recommends nginx, or scripts/ci-packages.sh) or set "
                + SKIP_VARIABLE + "=1 to skip this test";
        if ("1".equals(System.getenv(SKIP_VARIABLE))) {
            Assumptions.abort(message);
        }
        throw new AssertionError(message);
    }

    /** Fails (or, with {@value #SKIP_VARIABLE}=1, skips) the test before it starts anything else when nginx is missing. */
    static void requireInstalled() {
        executable();
    }
}
