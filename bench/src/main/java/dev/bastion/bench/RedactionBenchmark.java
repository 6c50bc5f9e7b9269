package dev.bastion.bench;

import dev.bastion.provider.dynatrace.managed.DynatraceManagedProviderFactory;
import dev.bastion.security.redact.SecretRedactor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@link SecretRedactor} takes for 1 MiB of realistic text: access and application log
 * lines and Dynatrace-style JSON, with a few credentials of every recognised shape, the Dynatrace
 * provider's declared credential shapes and a dozen registered secrets (with their partial forms). The budget is well under 5 ms per MiB, since every log event and every tool
 * result goes through the redactor.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar Redaction -f 1 -wi 3 -i 5 -w 1 -r 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedactionBenchmark {

    private static final int ONE_MIB = 1024 * 1024;

    private static final String[] REGISTERED = {
        "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM",
        "dt0s16.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        "dt0s02.AB3DEF7H.QRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWX",
        "itential-admin-P4ssw0rd!",
        "ocid1.tenancy.oc1..aaaaaaaabcdefghijklmnopqrstuvwxyz0123456789",
        "mcp-bearer-token-7f3e9a1c2b4d6e8f",
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
        "hunter2hunter2",
        "s3cr3t-Pl4nted-Value-0001",
        "another-registered-secret-value",
        "correct horse battery staple",
        "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5",
    };

    private SecretRedactor redactor;
    private String mixedText;
    private String cleanText;

    @Setup(Level.Trial)
    public void setUp() {
        redactor = new SecretRedactor();
        // As at startup: the providers' credential shapes, then the configured secrets.
        redactor.registerShapes(new DynatraceManagedProviderFactory().credentialShapes());
        for (String secret : REGISTERED) {
            redactor.registerSecret(secret);
        }
        mixedText = text(true);
        cleanText = text(false);
    }

    /** 1 MiB of logs and JSON with credentials here and there. */
    @Benchmark
    public String redactOneMibWithSecrets() {
        return redactor.redact(mixedText);
    }

    /** 1 MiB with nothing to redact: the common case for tool output. */
    @Benchmark
    public String redactOneMibWithoutSecrets() {
        return redactor.redact(cleanText);
    }

    static String text(boolean withSecrets) {
        Random random = new Random(20261122L);
        String[] levels = {"INFO", "DEBUG", "WARN", "ERROR"};
        String[] paths = {"/api/v2/problems", "/api/v2/metrics/query", "/platform/storage/query/v1/query:execute",
            "/api/v2/entities", "/workflow_engine/jobs", "/20180401/metrics/actions/summarizeMetricsData"};
        StringBuilder out = new StringBuilder(ONE_MIB + 4096);
        int line = 0;
        while (out.length() < ONE_MIB) {
            line++;
            switch (line % 4) {
                case 0 -> out.append("2026-11-22T02:35:").append(String.format("%02d", line % 60)).append('.')
                        .append(100 + line % 900).append("Z ").append(levels[random.nextInt(levels.length)])
                        .append(" [pool-1-thread-").append(random.nextInt(8)).append("] dev.bastion.outbound.Http - ")
                        .append("GET https://abc12345.live.dynatrace.com").append(paths[random.nextInt(paths.length)])
                        .append("?pageSize=500&from=now-2h status=200 took ").append(random.nextInt(900))
                        .append(" ms entity HOST-").append(Long.toHexString(random.nextLong()).toUpperCase())
                        .append('\n');
                case 1 -> out.append("{\"problemId\":\"").append(java.util.UUID.nameUUIDFromBytes(
                                Integer.toString(line).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .append("\",\"displayId\":\"P-").append(random.nextInt(99999))
                        .append("\",\"title\":\"Response time degradation\",\"status\":\"OPEN\",\"severityLevel\":"
                                + "\"PERFORMANCE\",\"impactLevel\":\"SERVICES\",\"affectedEntities\":[{\"entityId\":"
                                + "{\"id\":\"SERVICE-").append(Long.toHexString(random.nextLong()).toUpperCase())
                        .append("\",\"type\":\"SERVICE\"},\"name\":\"checkout-service\"}],\"startTime\":")
                        .append(1763778923000L + line).append("}\n");
                case 2 -> out.append("The database connection pool was exhausted while processing the batch; "
                        + "retrying with backoff after the last attempt took too long and tests passed.\n");
                default -> out.append("metric builtin:service.response.time:splitBy(\"dt.entity.service\"):avg "
                        + "value=").append(random.nextDouble() * 1000).append(" unit=MicroSecond\n");
            }
            if (withSecrets && line % 400 == 0) {
                switch ((line / 400) % 6) {
                    case 0 -> out.append("Authorization: Api-Token ").append(REGISTERED[0]).append('\n');
                    case 1 -> out.append("{\"password\": \"").append(REGISTERED[3]).append("\", \"user\": \"admin\"}\n");
                    case 2 -> out.append("Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIs"
                            + "ImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXBhcnQtd2l0aC1zb21lLWJ5dGVz\n");
                    case 3 -> out.append("connecting to https://admin:").append(REGISTERED[8])
                            .append("@itential.example.com/login\n");
                    case 4 -> out.append("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
                            + "-----END PRIVATE KEY-----\n");
                    default -> out.append("token=").append(REGISTERED[5]).append("&client_secret=")
                            .append(REGISTERED[2]).append('\n');
                }
            }
        }
        out.setLength(ONE_MIB);
        return out.toString();
    }
}
