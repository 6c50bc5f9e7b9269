package dev.bastion.app.config;

import dev.bastion.core.spi.Setting;
import dev.bastion.security.policy.InstancePolicy;
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
        boolean instanceKeys = false;
        for (ConfigSection section : sections) {
            if (section.isProvider() && !instanceKeys) {
                instanceKeys(text);
                instanceKeys = true;
            }
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
        if (!instanceKeys) {
            instanceKeys(text);
        }
        return text.toString();
    }

    /** The keys every provider instance accepts beside its provider's settings: once, for every provider. */
    private static void instanceKeys(StringBuilder text) {
        text.append("\n## Instance keys\n\n")
                .append("Every instance of every provider accepts these keys beside its provider's settings: in each ")
                .append("item of `providers.<id>.instances`, and in the `providers.<id>` map of a provider configured ")
                .append("once (its instance is `default`; `alias` is for lists only). The server reads them from YAML ")
                .append("only (`${NAME}` placeholders work) and never passes them to the provider. An instance's ")
                .append("`read_only` and `approval` replace `security.read_only` and `security.approval` for the calls ")
                .append("routed to that instance, stricter or looser; a key it does not set keeps the server's value. ")
                .append("A write tool is listed when at least one instance that offers it allows writes; a call to a ")
                .append("read-only instance is refused naming the instance and the key. A fan-out to `ALL` instances of ")
                .append("a write tool is refused as a whole when any of them is read-only, and asks for approval when ")
                .append("any of them would. The audit record's `policy` field names the policy that applied.\n\n")
                .append("| Key | Type | Default | Description |\n")
                .append("|---|---|---|---|\n")
                .append("| `alias` | string |  | The instance's name, required in an `instances` list: 1 to 32 lowercase ")
                .append("letters, digits, '-' or '_', starting with a letter or digit. |\n");
        for (Setting setting : InstancePolicy.spec().settings()) {
            text.append("| `").append(setting.key()).append("` | ")
                    .append(setting.type().name().toLowerCase(Locale.ROOT))
                    .append(" | `security.").append(setting.key()).append('`')
                    .append(" | ").append(cell(setting.description()))
                    .append(" |\n");
        }
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
