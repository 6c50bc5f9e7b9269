package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.security.validate.SchemaValidator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every provider must keep. A provider's test extends this class and names its
 * factory; a provider with a sandbox needs nothing else, since the working backend is its sandbox
 * and the failing one is the same configuration pointed at a closed loopback port.
 *
 * <p>Checked: every schema is valid JSON Schema 2020-12; tool names match
 * {@code ^[a-z][a-z0-9_]{0,63}$} and carry the provider's prefix; every tool has a description and
 * annotations; read-only tools send no write requests; a failing backend gives an error result, not
 * an exception; the secrets in the configuration never appear in any output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderContractTest {

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** One request a provider sent, as the outbound client saw it. */
    public record SentRequest(String method, String url, boolean markedIdempotent) {
    }

    private final ObjectMapper json = JsonMappers.create();
    private final SecretRedactor redactor = new SecretRedactor();
    private final List<SentRequest> sent = new CopyOnWriteArrayList<>();
    private Sandbox sandbox;
    private Provider working;
    private Provider failing;

    /** The factory under test. */
    protected abstract ProviderFactory factory();

    /**
     * Raw configuration of an instance whose backend works. The default is the first instance of
     * the provider's sandbox; a provider without a sandbox overrides it (a MockWebServer is fine).
     */
    protected Map<String, Object> workingInstance() {
        if (sandbox == null) {
            sandbox = factory().startSandbox().orElseThrow(() -> new AssertionError(factory().id()
                    + " has no sandbox: override workingInstance() and failingInstance()"));
        }
        return sandbox.instances().get(0);
    }

    /** Raw configuration of an instance whose backend is down: by default, the working one on a closed port. */
    protected Map<String, Object> failingInstance() {
        int closedPort = closedPort();
        Map<String, Object> failing = new LinkedHashMap<>(workingInstance());
        for (Setting setting : factory().configSpec().settings()) {
            if (setting.type() == SettingType.URL && failing.containsKey(setting.key())) {
                failing.put(setting.key(), "http://127.0.0.1:" + closedPort);
            }
        }
        return failing;
    }

    /** Arguments for a call of {@code tool}: by default the minimal ones its schema accepts. */
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        return SchemaArguments.minimal(tool.inputSchema());
    }

    /** Values that must never appear in any output: by default every secret setting of both configurations. */
    protected Set<String> plantedSecrets() {
        Set<String> secrets = new LinkedHashSet<>();
        for (Map<String, Object> instance : List.of(workingInstance(), failingInstance())) {
            for (Setting setting : factory().configSpec().settings()) {
                Object value = instance.get(setting.key());
                if (setting.secret() && value != null) {
                    secrets.add(value.toString());
                }
            }
        }
        return secrets;
    }

    @BeforeAll
    final void createProviders() {
        working = create(workingInstance());
        failing = create(failingInstance());
    }

    @AfterAll
    final void closeProviders() {
        if (working != null) {
            working.close();
        }
        if (failing != null) {
            failing.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private Provider create(Map<String, Object> raw) {
        ProviderConfig config = SettingValues.bind(factory().id(), factory().configSpec(), raw);
        redactor.registerShapes(factory().credentialShapes());
        OutboundHttp outbound = new OutboundHttp(redactor, "contract-test", Map.of(),
                (backend, method, url, idempotent) -> sent.add(new SentRequest(method, url, idempotent)));
        ServerProviderContext context = new ServerProviderContext(json, redactor, Clock.systemUTC(), "contract-test",
                Map.of(OutboundHttp.class, outbound));
        return factory().create(config, context);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free loopback port", e);
        }
    }

    private List<Tool> tools() {
        List<Tool> tools = working.tools();
        assertThat(tools).as("%s offers no tools", factory().id()).isNotEmpty();
        return tools;
    }

    @Test
    final void everySchemaIsValidJsonSchema202012() {
        SchemaValidator validator = new SchemaValidator(redactor);
        for (Tool tool : tools()) {
            ToolDescriptor descriptor = tool.descriptor();
            assertThat(descriptor.inputSchema().path("type").asText())
                    .as("%s inputSchema type", descriptor.name()).isEqualTo("object");
            assertThat(validator.checkSchema(descriptor.inputSchema()))
                    .as("%s inputSchema problems", descriptor.name()).isEmpty();
            descriptor.output().ifPresent(output -> assertThat(validator.checkSchema(output))
                    .as("%s outputSchema problems", descriptor.name()).isEmpty());
        }
    }

    @Test
    final void toolNamesMatchThePatternAndCarryTheProviderPrefix() {
        Set<String> names = new LinkedHashSet<>();
        for (Tool tool : tools()) {
            String name = tool.descriptor().name();
            assertThat(name).as("tool name").matches(NAME).startsWith(factory().toolPrefix());
            assertThat(names.add(name)).as("duplicate tool name %s", name).isTrue();
        }
    }

    @Test
    final void everyToolHasADescriptionAndAnnotations() {
        for (Tool tool : tools()) {
            ToolDescriptor descriptor = tool.descriptor();
            assertThat(descriptor.description()).as("%s description", descriptor.name()).hasSizeGreaterThan(20);
            assertThat(descriptor.annotations()).as("%s annotations", descriptor.name()).isNotNull();
            if (!descriptor.readOnly()) {
                assertThat(descriptor.tags()).as("%s is a write tool; tag it 'write'", descriptor.name())
                        .contains("write");
            }
        }
    }

    @Test
    final void generatedArgumentsSatisfyEverySchema() {
        SchemaValidator validator = new SchemaValidator(redactor);
        for (Tool tool : tools()) {
            assertThat(validator.validateArguments(tool.descriptor(), argumentsFor(tool.descriptor())))
                    .as("arguments for %s; override argumentsFor()", tool.descriptor().name()).isEmpty();
        }
    }

    @Test
    final void readOnlyToolsSendNoWriteRequests() throws Exception {
        for (Tool tool : tools()) {
            if (!tool.descriptor().readOnly()) {
                continue;
            }
            sent.clear();
            tool.call(argumentsFor(tool.descriptor()), new TestCallContext());
            for (SentRequest request : sent) {
                assertThat(SAFE_METHODS.contains(request.method()) || request.markedIdempotent())
                        .as("read-only tool %s sent %s %s; reads that must POST are tagged Idempotent",
                                tool.descriptor().name(), request.method(), request.url())
                        .isTrue();
            }
        }
    }

    @Test
    final void failingBackendGivesAnErrorResultNotAnException() {
        for (Tool tool : failing.tools()) {
            ObjectNode arguments = argumentsFor(tool.descriptor());
            ToolResult[] result = new ToolResult[1];
            assertThatCode(() -> result[0] = tool.call(arguments, new TestCallContext()))
                    .as("%s against a backend that is down", tool.descriptor().name()).doesNotThrowAnyException();
            assertThat(result[0].isError()).as("%s isError against a backend that is down",
                    tool.descriptor().name()).isTrue();
            assertThat(result[0].allText()).as("%s error text", tool.descriptor().name()).isNotBlank()
                    .doesNotContain("Exception", "\tat ");
        }
        HealthStatus health = failing.health();
        assertThat(health.healthy()).as("health of an instance whose backend is down").isFalse();
    }

    @Test
    final void plantedSecretsNeverAppearInAnyOutput() throws Exception {
        Set<String> secrets = plantedSecrets();
        List<String> outputs = new ArrayList<>();
        for (Provider provider : List.of(working, failing)) {
            outputs.add(String.valueOf(provider.health()));
            for (Tool tool : provider.tools()) {
                outputs.add(json.writeValueAsString(tool.descriptor()));
                try {
                    outputs.add(json.writeValueAsString(tool.call(argumentsFor(tool.descriptor()),
                            new TestCallContext())));
                } catch (Exception e) {
                    outputs.add(String.valueOf(e));
                }
            }
        }
        for (String output : outputs) {
            for (String secret : secrets) {
                assertThat(output).as("output of %s", factory().id()).doesNotContain(secret);
            }
        }
        for (SentRequest request : sent) {
            for (String secret : secrets) {
                assertThat(request.url()).as("request URL (secrets go in headers, not URLs)").doesNotContain(secret);
            }
        }
    }

    /** The requests the providers sent so far, for subclasses' own checks. */
    protected final List<SentRequest> sentRequests() {
        return List.copyOf(sent);
    }

    protected final Optional<Sandbox> sandbox() {
        return Optional.ofNullable(sandbox);
    }
}
