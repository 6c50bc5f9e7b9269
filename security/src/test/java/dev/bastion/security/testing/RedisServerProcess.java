package dev.bastion.security.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} of its own for a test: a free port on 127.0.0.1, no persistence
 * ({@code --save '' --appendonly no}), never the machine's service. It can be stopped and started
 * again on the same port to stage an outage.
 *
 * <p>A machine without {@code redis-server} fails the test, so CI (which installs it, see
 * {@code scripts/ci-packages.sh}) cannot pass by skipping; {@code SKIP_REDIS_TESTS=1}
 * turns that into a skip for a developer who chose not to install it.
 */
public final class RedisServerProcess implements AutoCloseable {

    public static final String SKIP_VARIABLE = "SKIP_REDIS_TESTS";

    private final Path executable;
    private final int port;
    private final String password;
    private final List<String> tlsArguments;
    private Process process;

    private RedisServerProcess(Path executable, int port, String password, List<String> tlsArguments) {
        this.executable = executable;
        this.port = port;
        this.password = password;
        this.tlsArguments = tlsArguments;
    }

    /** Started without a password. */
    public static RedisServerProcess start() {
        return start(null);
    }

    /** Started with {@code requirepass password} when it is not null. */
    public static RedisServerProcess start(String password) {
        RedisServerProcess redis = new RedisServerProcess(executable(), freePort(), password, List.of());
        redis.startAgain();
        return redis;
    }

    /** Started with TLS only ({@code rediss://}), with this PEM certificate chain and PKCS#8 key, no client certificates. */
    public static RedisServerProcess startWithTls(Path certificateFile, Path keyFile) {
        RedisServerProcess redis = new RedisServerProcess(executable(), freePort(), null, List.of(
                "--tls-cert-file", certificateFile.toString(), "--tls-key-file", keyFile.toString(),
                "--tls-auth-clients", "no"));
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port after {@link #stop} (an empty one: it keeps no data). */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is already running");
        }
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--protected-mode", "no"));
        if (tlsArguments.isEmpty()) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
            command.addAll(tlsArguments);
        }
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("redis-server could not be started: " + e.getMessage(), e);
        }
        awaitAnswer();
    }

    /** Stops the server and waits until its port refuses connections. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitAnswer() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited at start (exit code " + process.exitValue() + ")");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (!tlsArguments.isEmpty()) {
                    // Listening is enough: a TLS server answers nothing in plain text.
                    return;
                }
                socket.setSoTimeout(1000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] answer = new byte[64];
                int n = in.read(answer);
                String text = n <= 0 ? "" : new String(answer, 0, n, StandardCharsets.US_ASCII);
                // A server with a password answers -NOAUTH: it is up all the same.
                if (text.startsWith("+PONG") || text.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for redis-server");
            }
        }
        throw new AssertionError("redis-server did not answer on port " + port + " within 20 s");
    }

    private static Path executable() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String fallback : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server")) {
            if (Files.isExecutable(Path.of(fallback))) {
                return Path.of(fallback);
            }
        }
        String message = "redis-server is not installed: the shared rate-limit tests run a real one. Install it"
                + " (apt-get install -y --no-install-recommends redis-server, or scripts/ci-packages.sh) or set "
                + SKIP_VARIABLE + "=1 to skip these tests";
        if ("1".equals(System.getenv(SKIP_VARIABLE))) {
            Assumptions.abort(message);
        }
        throw new AssertionError(message);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free port: " + e.getMessage(), e);
        }
    }
}
