package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.mcp.McpEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 22: a client that sends a body over the cap must read its 413, not a connection
 * reset. The server answers before the body has arrived; closing a socket with unread bytes makes
 * the kernel send RST, which can destroy the answer before the client reads it. So the refusal
 * reads and discards a bounded amount of the body before the connection closes. Each run is a new
 * connection whose body is written on its own thread while this one reads, as a real client does.
 */
class OversizedBodyAnswerTest {

    private static final int RUNS = 50;
    private static final int BODY_BYTES = 2 * 1024 * 1024;

    private final McpEngine engine = HttpFixture.engine();
    private HttpTransport transport;

    @BeforeEach
    void start() {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults());
    }

    @AfterEach
    void stop() {
        transport.close();
        engine.close();
    }

    @Test
    void aDeclared2MiBBodyIsAnswered413EveryTime() throws Exception {
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        byte[] head = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int run = 1; run <= RUNS; run++) {
            assertThat(statusLine(head, body)).as("run %d of %d", run, RUNS).startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void aChunked2MiBBodyIsAnswered413EveryTime() throws Exception {
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int written = 0; written < BODY_BYTES; written += chunk.length) {
            chunked.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunked.write(chunk);
            chunked.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        chunked.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] head = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int run = 1; run <= RUNS; run++) {
            assertThat(statusLine(head, chunked.toByteArray())).as("run %d of %d", run, RUNS)
                    .startsWith("HTTP/1.1 413 ");
            assertThat(writeThenRead(head, chunked.toByteArray())).as("write-then-read run %d of %d", run, RUNS)
                    .startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void anEarlierRefusalOfA2MiBBodyIsReadToo() throws Exception {
        // Every refusal before the body is read takes the same path, not only the body cap.
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        byte[] head = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + BODY_BYTES + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int run = 1; run <= RUNS; run++) {
            assertThat(writeThenRead(head, body)).as("run %d of %d", run, RUNS).startsWith("HTTP/1.1 415 ");
        }
    }

    @Test
    void aClientThatWritesItsWholeBodyBeforeReadingGetsThe413() throws Exception {
        // Plain clients (curl, most HTTP libraries) send the whole body, then read. If the server
        // stops reading and closes, their write fails with a reset and they never see the answer.
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        byte[] head = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int run = 1; run <= RUNS; run++) {
            assertThat(writeThenRead(head, body)).as("run %d of %d", run, RUNS).startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void aBodyFarOverTheCapIsDiscardedOnlyUpToABound() throws Exception {
        long declared = 1L << 30;
        AtomicLong written = new AtomicLong();
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Thread writer = new Thread(() -> {
                byte[] block = new byte[64 * 1024];
                try {
                    while (written.get() < declared) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    // the server closed after discarding what it discards
                }
            }, "endless-body-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            assertThat(firstLine(in)).startsWith("HTTP/1.1 413 ");
            writer.join(30_000);
            assertThat(writer.isAlive()).as("the server stopped reading and closed").isFalse();
        }
        // What the server read is at most the discard limit; the rest sat in socket buffers.
        assertThat(written.get()).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aStalledBodyDoesNotHoldTheConnectionOpen() throws Exception {
        transport.close();
        // Generous slow-client and idle limits, so only the discard's own time bound can end it.
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withLimits(new HttpSettings.Limits(
                1 << 20, 8192, 100, Duration.ofMinutes(5), Duration.ofMinutes(5), 16)));
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY_BYTES + "\r\n\r\n{\"jsonrpc\":").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(firstLine(in)).startsWith("HTTP/1.1 413 ");
            // The answer ends with the server's FIN (it half-closes after a Connection: close answer)
            // while it still discards what the client sends. Once its time bound is up it closes the
            // socket, and the client's next writes fail. Without the bound they would go on succeeding.
            in.readAllBytes();
            boolean writable = true;
            for (int tick = 0; tick < 300 && writable; tick++) {
                try {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                } catch (IOException e) {
                    writable = false;
                }
            }
            assertThat(writable).as("the server closed the connection").isFalse();
        }
    }

    @Test
    void aClientThatExpects100ContinueIsRefusedWithoutBeingAskedForItsBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(firstLine(socket.getInputStream())).startsWith("HTTP/1.1 413 ");
        }
    }

    private String writeThenRead(byte[] head, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(30_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head);
                for (int at = 0; at < body.length; at += 16 * 1024) {
                    out.write(body, at, Math.min(16 * 1024, body.length - at));
                }
                out.flush();
            } catch (SocketException e) {
                return "the body could not be sent (" + e.getMessage() + ")";
            }
            return firstLine(socket.getInputStream());
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
        } catch (SocketException e) {
            return "connection failed before the status line (" + e.getMessage() + "), got: "
                    + line.toString(StandardCharsets.ISO_8859_1);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes head and body on a writer thread and returns the first line the server answers. */
    private String statusLine(byte[] head, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(head);
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // the server may close once it has answered and read what it reads
                }
            }, "oversized-body-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
            } catch (SocketException e) {
                return "connection failed before the status line (" + e.getMessage() + "), got: "
                        + line.toString(StandardCharsets.ISO_8859_1);
            }
            writer.join(30_000);
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
