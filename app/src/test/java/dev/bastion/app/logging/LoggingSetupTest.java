package dev.bastion.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.app.config.LoggingSettings;
import dev.bastion.app.config.LoggingSettings.Format;
import dev.bastion.app.config.LoggingSettings.Level;
import dev.bastion.core.sanitize.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingSetupTest {

    private static final String SECRET = "dt0c01.LOGSECRETPLANTED42";
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSetupTest.class);

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    /** Replaces registered values, as the server's redactor does for configured secrets. */
    private static final class RegisteredValuesRedactor implements Redactor {
        private final List<String> secrets = new CopyOnWriteArrayList<>();

        @Override
        public String redact(String text) {
            String result = text;
            for (String secret : secrets) {
                result = result.replace(secret, "[REDACTED]");
            }
            return result;
        }

        @Override
        public void registerSecret(String value) {
            secrets.add(value);
        }
    }

    @BeforeEach
    void captureConsole() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        MDC.clear();
        System.setOut(originalOut);
        System.setErr(originalErr);
        LoggingSetup.configure(LoggingSettings.DEFAULT, Redactor.NONE);
    }

    private static Redactor redactorKnowing(String secret) {
        Redactor redactor = new RegisteredValuesRedactor();
        redactor.registerSecret(secret);
        return redactor;
    }

    private static void logSecretEverywhere() {
        MDC.put("request", "req-" + SECRET);
        LOG.info("token is " + SECRET);
        LOG.warn("calling backend with {} and {}", "arg-" + SECRET, 7);
        LOG.error("backend call failed", new IllegalStateException("bad token " + SECRET,
                new RuntimeException("cause carries " + SECRET)));
    }

    @Test
    void textFormatRedactsMessageArgumentsMdcAndStackTraceOnStderrOnly() {
        LoggingSetup.configure(new LoggingSettings(Level.INFO, Format.TEXT), redactorKnowing(SECRET));

        logSecretEverywhere();

        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(err).doesNotContain(SECRET)
                .contains("INFO  [main] d.b.app.logging.LoggingSetupTest request=req-[REDACTED] - token is [REDACTED]")
                .contains("calling backend with arg-[REDACTED] and 7")
                .contains("java.lang.IllegalStateException: bad token [REDACTED]")
                .contains("Caused by: java.lang.RuntimeException: cause carries [REDACTED]")
                .contains("\tat dev.bastion.app.logging.LoggingSetupTest");
        assertThat(new String(stderr.toByteArray(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        assertThat(stdout.size()).isZero();
    }

    @Test
    void jsonFormatWritesOneRedactedJsonObjectPerLine() throws Exception {
        LoggingSetup.configure(new LoggingSettings(Level.INFO, Format.JSON), redactorKnowing(SECRET));

        logSecretEverywhere();

        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(err).doesNotContain(SECRET);
        List<String> lines = err.lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger").asText()).isEqualTo(LoggingSetupTest.class.getName());
        assertThat(first.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.get("msg").asText()).isEqualTo("token is [REDACTED]");
        assertThat(first.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(first.at("/mdc/request").asText()).isEqualTo("req-[REDACTED]");
        assertThat(first.has("error")).isFalse();
        JsonNode third = json.readTree(lines.get(2));
        assertThat(third.get("error").asText()).contains("bad token [REDACTED]").contains("cause carries [REDACTED]");
        assertThat(stdout.size()).isZero();
    }

    @Test
    void textFormatEscapesLineBreaksInMessagesSoLinesCannotBeForged() {
        LoggingSetup.configure(LoggingSettings.DEFAULT, Redactor.NONE);

        LOG.info("tool argument: {}", "x\n2026-01-01T00:00:00.000Z ERROR [main] forged - admin login");

        List<String> lines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).singleElement().asString().endsWith("tool argument: x\\n2026-01-01T00:00:00.000Z ERROR [main] forged - admin login");
    }

    @Test
    void levelFiltersEvents() {
        LoggingSetup.configure(new LoggingSettings(Level.WARN, Format.TEXT), Redactor.NONE);

        LOG.info("hidden-info-line");
        LOG.warn("visible-warn-line");

        assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("hidden-info-line").contains("visible-warn-line");
    }

    @Test
    void librariesThatLogValuesStayAtInfoEvenAtDebug() {
        LoggingSetup.configure(new LoggingSettings(Level.DEBUG, Format.TEXT), Redactor.NONE);

        assertThat(LoggerFactory.getLogger("com.networknt.schema.format.DateTimeValidator").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("dev.bastion.anything").isDebugEnabled()).isTrue();
    }

    @Test
    void reconfiguringReplacesTheAppenderInsteadOfDuplicatingLines() {
        LoggingSetup.configure(LoggingSettings.DEFAULT, Redactor.NONE);
        LoggingSetup.configure(LoggingSettings.DEFAULT, Redactor.NONE);

        LOG.info("exactly-once");

        assertThat(stderr.toString(StandardCharsets.UTF_8).split("exactly-once", -1)).hasSize(2);
    }

    @Test
    void bootstrapConfigurationLogsRedactedTextToStderrAtInfo() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        BootstrapLogging bootstrap = new BootstrapLogging();
        bootstrap.setContext(context);

        Configurator.ExecutionStatus status = bootstrap.configure(context);
        LogRedaction.use(redactorKnowing(SECRET));
        context.getLogger("bootstrap").info("starting with {}", SECRET);
        context.getLogger("bootstrap").debug("debug is below the bootstrap level");
        context.getLogger("com.networknt.schema").debug("a rejected value");
        context.stop();

        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(err).contains("INFO  [main] bootstrap - starting with [REDACTED]")
                .doesNotContain("debug is below").doesNotContain("a rejected value").doesNotContain(SECRET);
        assertThat(stdout.size()).isZero();
    }

    @Test
    void bootstrapConfigurationIsFoundByLogbackThroughServiceLoader() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(BootstrapLogging.class);
    }

    @Test
    void bootstrapConfigurationStepsAsideForAConfigurationFileTheOperatorNames() {
        LoggerContext context = new LoggerContext();
        BootstrapLogging bootstrap = new BootstrapLogging();
        bootstrap.setContext(context);
        String previous = System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, "/etc/bastion/logback.xml");
        try {
            assertThat(bootstrap.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (previous == null) {
                System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, previous);
            }
            context.stop();
        }
    }
}
