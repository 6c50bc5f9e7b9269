package dev.bastion.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.BusyRefusal;
import dev.bastion.core.mcp.BusyRefusalListener;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.security.SecuritySettings;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.transport.http.metrics.ServerMetrics;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server counts every busy refusal by method and audits the refused tool calls, as the pipeline would. */
class BusyRefusalWiringTest {

    private final StringWriter auditOut = new StringWriter();
    private final AuditLog audit = new AuditLog(auditOut, Redactor.NONE);
    private final ServerMetrics metrics = new ServerMetrics();

    @Test
    void countsEveryBusyRefusalAndAuditsTheToolCalls() {
        BusyRefusalListener listener = BastionModule.busyRefusals(security(Map.of()), audit, metrics);

        listener.refused(toolCall());
        listener.refused(new BusyRefusal("tools/list", Principal.local(), null, "s-1", 40, null, null, null, null));

        assertThat(metrics.scrape())
                .contains("bastion_busy_refusals_total{method=\"tools/call\"} 1\n")
                .contains("bastion_busy_refusals_total{method=\"tools/list\"} 1\n");
        assertThat(auditOut.toString().lines()).singleElement().asString()
                .contains("\"tool\":\"echo\"", "\"decision\":\"server_busy\"", "\"outcome\":\"denied\"");
    }

    @Test
    void withTheAuditOffBusyRefusalsAreStillCounted() {
        BusyRefusalListener listener = BastionModule.busyRefusals(security(Map.of("audit.enabled", false)), audit,
                metrics);

        listener.refused(toolCall());

        assertThat(metrics.scrape()).contains("bastion_busy_refusals_total{method=\"tools/call\"} 1\n");
        assertThat(auditOut.toString()).isEmpty();
    }

    private static SecuritySettings security(Map<String, Object> values) {
        return SecuritySettings.from(new ProviderConfig("security", ProviderConfig.DEFAULT_ALIAS, values));
    }

    private static BusyRefusal toolCall() {
        return new BusyRefusal("tools/call", Principal.local(), "desktop", "s-1", 120, "echo", "fixture", "default",
                JsonNodeFactory.instance.objectNode());
    }
}
