package dev.bastion.app.config;

import static dev.bastion.app.config.TestSections.load;
import static dev.bastion.app.config.TestSections.loader;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A secret typed literally into the YAML file is accepted with a warning that names the key, not the value. */
class LiteralSecretWarningTest {

    private static final String TOKEN = "dt0c01.PLANTEDLITERAL0000000001";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        ((Logger) LoggerFactory.getLogger(ConfigLoader.class)).addAppender(events);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(ConfigLoader.class)).detachAppender(events);
    }

    @Test
    void literalSecretInTheFileIsWarnedAboutByKey() {
        load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    url: https://dt.example.com
                    api_token: %s
                """.formatted(TOKEN), Map.of());

        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).contains("providers.dynatrace-managed.api_token",
                    "written literally", "${VARIABLE}").doesNotContain(TOKEN);
        });
    }

    @Test
    void placeholderSecretIsNotWarnedAbout() {
        load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    url: https://dt.example.com
                    api_token: ${DT_TOKEN}
                """, Map.of("DT_TOKEN", TOKEN));

        assertThat(events.list).isEmpty();
    }
}
