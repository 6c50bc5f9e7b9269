package dev.bastion.app.config;

import dev.bastion.core.spi.Setting;
import java.util.List;
import java.util.Locale;

/**
 * Renders the Markdown configuration reference for a list of sections: one table per section with
 * each setting's YAML key, environment variables, type, default, whether it is required or secret,
 * and its description. Used to generate the documentation, so the docs never drift from the code.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    public static String markdown(List<ConfigSection> sections) {
        StringBuilder text = new StringBuilder();
        text.append("# Configuration reference\n\n")
                .append("Bastion reads one optional YAML file and the environment. For each setting an explicit YAML ")
                .append("value wins; otherwise the first set environment variable listed for it; otherwise its default. ")
                .append("Environment variables feed the server sections and the single `default` instance of a ")
                .append("provider; instances listed under `providers.<id>.instances` (each with an `alias`) take ")
                .append("values from YAML only, where `${NAME}` and `${NAME:-default}` placeholders read the ")
                .append("environment. An empty environment variable counts as unset. Unknown keys, unknown provider ")
                .append("ids and unknown `BASTION_*` variables are errors. Secret values are never printed.\n\n")
                .append("Types: `duration` accepts `250ms`, `30s`, `5m`, `1h`, `1d` or ISO-8601 (`PT30S`); `boolean` ")
                .append("accepts true/false, yes/no, 1/0; `list` is a YAML sequence or a comma-separated string; `json` ")
                .append("is a structured YAML value.\n");
        for (ConfigSection section : sections) {
            text.append("\n## `").append(section.name()).append("`\n\n");
            if (section.spec().settings().isEmpty()) {
                text.append("This section has no settings.\n");
                continue;
            }
            text.append("| Key | Environment | Type | Default | Required | Secret | Description |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (Setting setting : section.spec().settings()) {
                text.append("| `").append(section.name()).append('.').append(setting.key()).append("` | ")
                        .append(setting.envNames().isEmpty() ? "" : "`" + String.join("`, `", setting.envNames()) + "`")
                        .append(" | ").append(setting.type().name().toLowerCase(Locale.ROOT))
                        .append(" | ").append(defaultText(setting))
                        .append(" | ").append(setting.required() ? "yes" : "no")
                        .append(" | ").append(setting.secret() ? "yes" : "no")
                        .append(" | ").append(cell(setting.description()))
                        .append(" |\n");
            }
        }
        return text.toString();
    }

    private static String defaultText(Setting setting) {
        if (setting.defaultText().isEmpty()) {
            return "";
        }
        return setting.secret() ? "[REDACTED]" : "`" + cell(setting.defaultText().get()) + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
