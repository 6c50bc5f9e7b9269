package dev.bastion.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bastion.jar} process an integration test starts: everything it prints is kept,
 * {@link #awaitHealthy} waits for {@code /healthz}, {@link #stop} ends it. The child gets the test's
 * environment without its {@code BASTION_*} and {@code OTEL_*} variables (the server refuses
 * unknown {@code BASTION_} names, and {@code OTEL_} ones would turn tracing on), plus the ones given.
 */
final class ServerProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String name;
    private final int port;
    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private ServerProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * @param port the port the command makes the server listen on (for {@link #awaitHealthy})
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> environment, int port)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("BASTION_")
                || variable.startsWith("OTEL_"));
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(name, port, builder.start());
        Thread reader = new Thread(server::drain, "it-output-" + name);
        reader.setDaemon(true);
        reader.start();
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void drain() {
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until {@code /healthz} answers 200; fails with the server's output when it exits or the time is up. */
    void awaitHealthy(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + output());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(url("/healthz")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not become ready: " + output());
    }

    /** Ends the process (SIGTERM, then SIGKILL after 20 s); returns whether it ended by itself. */
    boolean stop() throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(20, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        return false;
    }
}
