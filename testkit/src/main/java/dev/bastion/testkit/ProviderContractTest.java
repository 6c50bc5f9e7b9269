package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.security.validate.SchemaValidator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every provider must keep, modelled on Trino's {@code BaseConnectorSmokeTest}. A
 * provider's test extends this class, names its factory and declares its behaviours
 * ({@link #hasBehavior(ProviderBehavior)}); a provider with a sandbox needs nothing else, since
 * the working backend is its sandbox, the failing one is the same configuration pointed at a
 * closed loopback port, and the refused one is the same configuration with every secret replaced
 * by a wrong value of the same shape.
 *
 * <p>Checked:
 * <ul>
 *   <li>every schema is valid JSON Schema 2020-12; tool names match {@code ^[a-z][a-z0-9_]{0,63}$}
 *       and carry the provider's prefix;</li>
 *   <li>input schemas bound every argument: {@code additionalProperties: false} on every object,
 *       {@code maxLength} (or an enum, or a bounded anchored pattern) on strings, {@code maximum}
 *       on numbers, {@code maxItems} on arrays;</li>
 *   <li>descriptions say something: enough words, more than the name and title, what the tool
 *       returns or does, and a description on every argument;</li>
 *   <li>every read tool, called with {@link #argumentsFor} against the working backend, succeeds,
 *       and its {@code structuredContent} matches its {@code outputSchema}; every request it sends
 *       goes to a configured backend URL, is a read, and succeeds (no 4xx or 5xx);</li>
 *   <li>a backend that is down gives error results (not exceptions) and an unhealthy status;</li>
 *   <li>a wrong credential is refused by the backend (a 401 or 403), health is down, and every
 *       read tool that reached the backend gives an error that names a setting or says what to
 *       check;</li>
 *   <li>no planted secret (the secret settings of all three configurations) appears in results,
 *       errors, exceptions, health, descriptors, log and progress messages, request URLs, or
 *       request headers the provider set itself;</li>
 *   <li>a call cancelled while its first backend request is being sent cancels that request, ends
 *       with an error (or a {@link CancellationException}) and sends nothing more;</li>
 *   <li>each {@link ProviderBehavior} is present when declared and absent when not.</li>
 * </ul>
 * Write tools are called only against the backend that is down, so the contract never changes a
 * sandbox's data. Tools are called directly, not through the server's pipeline, so nothing the
 * pipeline would redact hides a provider's own leak; {@link ProviderHarness} calls them through it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderContractTest {

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> COMMAND_SERVICES = Set.of("CommandRunner", "CommandPolicy", "DeviceCommandPolicy");
    private static final long CANCEL_WAIT_SECONDS = 10;
    /** How long a health check may take; the check gets a call with this deadline. */
    private static final java.time.Duration HEALTH_TIMEOUT = java.time.Duration.ofSeconds(30);

    /** One request a provider sent, as the outbound client saw it. */
    public record SentRequest(String method, String url, boolean markedIdempotent) {
    }

    private final ObjectMapper json = JsonMappers.create();
    private SchemaValidator schemas;
    private Sandbox sandbox;
    private ProviderHarness.Instance working;
    private ProviderHarness.Instance failing;
    private ProviderHarness.Instance refused;

    /** The factory under test. */
    protected abstract ProviderFactory factory();

    /**
     * Whether the provider does {@code behavior}; override to declare what yours supports. The
     * default is {@link ProviderBehavior#byDefault()}.
     */
    protected boolean hasBehavior(ProviderBehavior behavior) {
        return behavior.byDefault();
    }

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

    /**
     * Raw configuration of an instance whose credentials the backend must refuse: by default the
     * working one with every secret setting replaced by {@link #wrongValueOfTheSameShape}. Used
     * only when the test declares {@link ProviderBehavior#HAS_CREDENTIALS}.
     */
    protected Map<String, Object> wrongCredentialInstance() {
        Map<String, Object> wrong = new LinkedHashMap<>(workingInstance());
        boolean replaced = false;
        for (Setting setting : factory().configSpec().settings()) {
            Object value = wrong.get(setting.key());
            if (setting.secret() && value != null && !value.toString().isEmpty()) {
                wrong.put(setting.key(), wrongValueOfTheSameShape(value.toString()));
                replaced = true;
            }
        }
        if (!replaced) {
            throw new AssertionError(factory().id() + " declares HAS_CREDENTIALS but its working instance sets no "
                    + "secret setting: set one, override wrongCredentialInstance(), or declare the behaviour absent");
        }
        return wrong;
    }

    /**
     * {@code value} with each letter and digit of its second half moved to the next one of its kind
     * ({@code a→b}, {@code Z→A}, {@code 9→0}): the same length, separators and prefix, so format
     * checks still pass, but a value no backend has issued.
     */
    public static String wrongValueOfTheSameShape(String value) {
        char[] chars = value.toCharArray();
        int changed = rotate(chars, chars.length / 2);
        if (changed == 0) {
            changed = rotate(chars, 0);
        }
        if (changed == 0) {
            throw new AssertionError("a secret without letters or digits has no wrong value of the same shape; "
                    + "override wrongCredentialInstance()");
        }
        return new String(chars);
    }

    private static int rotate(char[] chars, int from) {
        int changed = 0;
        for (int i = from; i < chars.length; i++) {
            char c = chars[i];
            if (c >= 'a' && c <= 'z') {
                chars[i] = c == 'z' ? 'a' : (char) (c + 1);
            } else if (c >= 'A' && c <= 'Z') {
                chars[i] = c == 'Z' ? 'A' : (char) (c + 1);
            } else if (c >= '0' && c <= '9') {
                chars[i] = c == '9' ? '0' : (char) (c + 1);
            } else {
                continue;
            }
            changed++;
        }
        return changed;
    }

    /** Arguments for a call of {@code tool}: by default the minimal ones its schema accepts. */
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        return SchemaArguments.minimal(tool.inputSchema());
    }

    /** Values that must never appear in any output: by default every secret setting of every configuration used. */
    protected Set<String> plantedSecrets() {
        Set<String> secrets = new LinkedHashSet<>();
        List<Map<String, Object>> instances = new ArrayList<>(List.of(workingInstance(), failingInstance()));
        if (hasBehavior(ProviderBehavior.HAS_CREDENTIALS)) {
            instances.add(refused.raw());
        }
        for (Map<String, Object> instance : instances) {
            for (Setting setting : factory().configSpec().settings()) {
                Object value = instance.get(setting.key());
                if (setting.secret() && value != null && !value.toString().isEmpty()) {
                    secrets.add(value.toString());
                }
            }
        }
        return secrets;
    }

    @BeforeAll
    final void createProviders() {
        schemas = new SchemaValidator(new SecretRedactor());
        working = ProviderHarness.instance(factory(), workingInstance());
        failing = ProviderHarness.instance(factory(), failingInstance());
        if (hasBehavior(ProviderBehavior.HAS_CREDENTIALS)) {
            refused = ProviderHarness.instance(factory(), wrongCredentialInstance());
        }
    }

    @AfterAll
    final void closeProviders() {
        for (ProviderHarness.Instance instance : new ProviderHarness.Instance[] {working, failing, refused}) {
            if (instance != null) {
                instance.close();
            }
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free loopback port", e);
        }
    }

    private List<Tool> tools() {
        List<Tool> tools = working.provider().tools();
        assertThat(tools).as("%s offers no tools", factory().id()).isNotEmpty();
        return tools;
    }

    private List<Tool> readTools(ProviderHarness.Instance instance) {
        return instance.provider().tools().stream().filter(tool -> tool.descriptor().readOnly()).toList();
    }

    /** A call's outcome: its result, or what it threw, and what it sent and said on the way. */
    private record Outcome(ToolResult result, Throwable thrown, List<ProviderHarness.Exchange> exchanges,
                           TestCallContext context) {

        String text() {
            return result != null ? result.allText() : String.valueOf(thrown);
        }
    }

    private Outcome call(ProviderHarness.Instance instance, Tool tool) {
        TestCallContext context = new TestCallContext();
        int before = instance.exchanges().size();
        ToolResult result = null;
        Throwable thrown = null;
        try {
            result = tool.call(argumentsFor(tool.descriptor()), context);
        } catch (Exception e) {
            thrown = e;
        }
        List<ProviderHarness.Exchange> all = instance.exchanges();
        return new Outcome(result, thrown, List.copyOf(all.subList(before, all.size())), context);
    }

    @Test
    final void everySchemaIsValidJsonSchema202012() {
        for (Tool tool : tools()) {
            ToolDescriptor descriptor = tool.descriptor();
            assertThat(descriptor.inputSchema().path("type").asText())
                    .as("%s inputSchema type", descriptor.name()).isEqualTo("object");
            assertThat(schemas.checkSchema(descriptor.inputSchema()))
                    .as("%s inputSchema problems", descriptor.name()).isEmpty();
            descriptor.output().ifPresent(output -> assertThat(schemas.checkSchema(output))
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
    final void descriptionsSaySomething() {
        List<String> problems = new ArrayList<>();
        for (Tool tool : tools()) {
            problems.addAll(DescriptionCheck.problems(tool.descriptor()));
        }
        assertThat(problems).as("descriptions that do not tell a model what the tool returns or does, or how to "
                + "fill an argument").isEmpty();
    }

    @Test
    final void schemasBoundEveryArgument() {
        List<String> problems = new ArrayList<>();
        for (Tool tool : tools()) {
            SchemaHygiene.check(tool.descriptor().inputSchema(), tool.descriptor().name(), problems);
        }
        assertThat(problems).as("unbounded arguments (a model can send anything the schema lets through)").isEmpty();
    }

    @Test
    final void generatedArgumentsSatisfyEverySchema() {
        for (Tool tool : tools()) {
            assertThat(schemas.validateArguments(tool.descriptor(), argumentsFor(tool.descriptor())))
                    .as("arguments for %s; override argumentsFor()", tool.descriptor().name()).isEmpty();
        }
    }

    @Test
    final void readToolsSucceedAndMatchTheirOutputSchema() {
        Set<String> backends = configuredOrigins(working.config());
        for (Tool tool : readTools(working)) {
            ToolDescriptor descriptor = tool.descriptor();
            Outcome outcome = call(working, tool);
            for (ProviderHarness.Exchange exchange : outcome.exchanges()) {
                assertThat(backends).as("%s sent %s %s, which is not one of the configured backend URLs %s",
                        descriptor.name(), exchange.method(), exchange.url(), backends).contains(origin(exchange.url()));
            }
            assertThat(outcome.thrown()).as("%s threw instead of returning a result", descriptor.name()).isNull();
            assertThat(outcome.result().isError()).as("%s failed against the working backend: %s",
                    descriptor.name(), outcome.text()).isFalse();
            if (descriptor.output().isPresent()) {
                JsonNode structured = outcome.result().structuredContent();
                assertThat(structured).as("%s declares an outputSchema but returned no structuredContent",
                        descriptor.name()).isNotNull();
                assertThat(schemas.validateOutput(descriptor, structured))
                        .as("%s: structuredContent breaks its outputSchema", descriptor.name()).isEmpty();
            }
        }
    }

    private static Set<String> configuredOrigins(ProviderConfig config) {
        Set<String> origins = new LinkedHashSet<>();
        config.values().values().forEach(value -> {
            if (value instanceof URI uri) {
                origins.add(origin(uri.toString()));
            }
        });
        return origins;
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    @Test
    final void readOnlyToolsSendOnlyReadRequestsThatSucceed() {
        for (Tool tool : readTools(working)) {
            String name = tool.descriptor().name();
            for (ProviderHarness.Exchange request : call(working, tool).exchanges()) {
                assertThat(SAFE_METHODS.contains(request.method()) || request.markedIdempotent())
                        .as("read-only tool %s sent %s %s; reads that must POST are tagged Idempotent",
                                name, request.method(), request.url())
                        .isTrue();
                assertThat(request.status())
                        .as("read-only tool %s: %s %s %s against the working backend", name, request.method(),
                                request.url(), request.status() == ProviderHarness.Exchange.NO_RESPONSE
                                        ? "got no response" : "answered " + request.status())
                        .isBetween(200, 399);
            }
        }
    }

    @Test
    final void failingBackendGivesAnErrorResultNotAnException() {
        for (Tool tool : failing.provider().tools()) {
            String name = tool.descriptor().name();
            Outcome outcome = call(failing, tool);
            assertThat(outcome.thrown()).as("%s threw against a backend that is down", name).isNull();
            assertThat(outcome.result().isError()).as("%s isError against a backend that is down", name).isTrue();
            assertThat(outcome.text()).as("%s error text", name).isNotBlank().doesNotContain("Exception", "\tat ");
        }
        HealthStatus health = health(failing);
        assertThat(health.healthy()).as("health of an instance whose backend is down").isFalse();
    }

    /**
     * The secrets themselves are the business of {@link #plantedSecretsNeverAppearInAnyOutput},
     * which covers this instance too.
     */
    /** A 401 or 403 named in a message; a port such as 44039 is not one. */
    private static final java.util.regex.Pattern REFUSAL_STATUS = java.util.regex.Pattern.compile("\\b40[13]\\b");

    @Test
    final void wrongCredentialIsRefused() {
        if (!hasBehavior(ProviderBehavior.HAS_CREDENTIALS)) {
            return;
        }
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (Tool tool : readTools(refused)) {
            outcomes.put(tool.descriptor().name(), call(refused, tool));
        }
        HealthStatus health = health(refused);
        boolean refusalSeen = refused.exchanges().stream().anyMatch(e -> e.status() == 401 || e.status() == 403)
                || outcomes.values().stream().anyMatch(o -> REFUSAL_STATUS.matcher(o.text()).find());
        assertThat(refusalSeen).as("the backend never refused the wrong credential (no 401 or 403 was seen): "
                + "does the sandbox check credentials?").isTrue();
        Set<String> settingNames = new LinkedHashSet<>();
        for (Setting setting : factory().configSpec().settings()) {
            settingNames.add(setting.key().toLowerCase(Locale.ROOT));
            setting.envNames().forEach(env -> settingNames.add(env.toLowerCase(Locale.ROOT)));
        }
        outcomes.forEach((name, outcome) -> {
            if (outcome.exchanges().isEmpty()) {
                return;
            }
            assertThat(outcome.thrown()).as("%s threw with a wrong credential", name).isNull();
            assertThat(outcome.result().isError()).as("%s succeeded with a wrong credential: %s", name,
                    outcome.text()).isTrue();
            String text = outcome.text().toLowerCase(Locale.ROOT);
            assertThat(text.contains("check") || settingNames.stream().anyMatch(text::contains))
                    .as("%s: the error for a refused credential names no setting and says nothing to check: %s",
                            name, outcome.text()).isTrue();
        });
        assertThat(health.healthy()).as("health of an instance with a wrong credential: %s", health.detail())
                .isFalse();
    }

    @Test
    final void plantedSecretsNeverAppearInAnyOutput() throws Exception {
        Set<String> secrets = plantedSecrets();
        Map<String, String> outputs = new LinkedHashMap<>();
        List<ProviderHarness.Instance> instances = new ArrayList<>(List.of(working, failing));
        if (refused != null) {
            instances.add(refused);
        }
        for (ProviderHarness.Instance instance : instances) {
            String label = instance == working ? "working" : instance == failing ? "failing" : "wrong-credential";
            outputs.put(label + " health", String.valueOf(health(instance)));
            for (Tool tool : instance.provider().tools()) {
                String name = tool.descriptor().name();
                outputs.put(name + " descriptor", json.writeValueAsString(tool.descriptor()));
                if (!tool.descriptor().readOnly() && instance != failing) {
                    continue;
                }
                Outcome outcome = call(instance, tool);
                String where = label + " " + name;
                outputs.put(where + " result", outcome.result() == null ? "" : write(outcome.result()));
                outputs.put(where + " exception", outcome.thrown() == null ? "" : describe(outcome.thrown()));
                outputs.put(where + " log messages", String.join("\n", outcome.context().logs()));
                outputs.put(where + " progress messages", String.join("\n", outcome.context().progressReports()));
            }
            StringBuilder urls = new StringBuilder();
            StringBuilder headers = new StringBuilder();
            instance.exchanges().forEach(exchange -> {
                urls.append(exchange.method()).append(' ').append(exchange.url()).append('\n');
                headers.append(exchange.headers()).append('\n');
            });
            outputs.put(label + " request URLs (credentials go in BackendCredentials, not URLs)", urls.toString());
            outputs.put(label + " request headers the provider set itself (credentials go in BackendCredentials, "
                    + "whose headers the server masks in its request log)", headers.toString());
        }
        outputs.forEach((where, output) -> {
            String folded = output.toLowerCase(java.util.Locale.ROOT);
            for (String secret : secrets) {
                for (String form : partialForms(secret)) {
                    assertThat(folded).as("a planted secret in the %s of %s", where, factory().id()).doesNotContain(form.toLowerCase(java.util.Locale.ROOT));
                }
            }
        });
    }

    /**
     * The secret and the parts of it that are secret on their own (issue 9 item 4): a credential of
     * the form {@code PREFIX.PUBLIC.SECRET} leaks as {@code PUBLIC.SECRET} or as {@code SECRET} too.
     * Parts shorter than 12 characters (a kind prefix such as {@code dt0c01}) are not secrets.
     */
    static Set<String> partialForms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String[] parts = secret.split("[.:]");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].length() >= 12) {
                forms.add(parts[i]);
            }
            if (i > 0 && i < parts.length - 1) {
                forms.add(String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length)));
            }
        }
        return forms;
    }

    private String write(ToolResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the result does not serialise", e);
        }
    }

    private static String describe(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }

    @Test
    final void cancelledCallCancelsItsBackendRequest() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "contract-cancel");
            thread.setDaemon(true);
            return thread;
        });
        List<String> problems = new ArrayList<>();
        try {
            for (Tool tool : readTools(working)) {
                if (call(working, tool).exchanges().isEmpty()) {
                    continue; // nothing to cancel: the tool answers without its backend
                }
                cancelAtFirstRequest(tool, caller).ifPresent(problems::add);
            }
        } finally {
            caller.shutdownNow();
        }
        assertThat(problems).as("calls cancelled while their first backend request was being sent").isEmpty();
    }

    private Optional<String> cancelAtFirstRequest(Tool tool, ExecutorService caller) throws InterruptedException {
        String name = tool.descriptor().name();
        TestCallContext context = new TestCallContext();
        ObjectNode arguments = argumentsFor(tool.descriptor());
        int before = working.exchanges().size();
        working.cancelAtNextRequest(context);
        Future<ToolResult> running = caller.submit(() -> tool.call(arguments, context));
        ToolResult result = null;
        Throwable thrown = null;
        try {
            result = running.get(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            return Optional.of(name + " did not end within " + CANCEL_WAIT_SECONDS + " s after it was cancelled");
        } catch (ExecutionException e) {
            thrown = e.getCause();
        }
        working.cancelNoRequest();
        List<ProviderHarness.Exchange> all = working.exchanges();
        List<ProviderHarness.Exchange> sent = List.copyOf(all.subList(before, all.size()));
        if (sent.isEmpty()) {
            return Optional.empty(); // answered from a cache this time: there was no request to cancel
        }
        if (sent.get(0).status() != ProviderHarness.Exchange.NO_RESPONSE) {
            return Optional.of(name + ": the backend request went on after the call was cancelled (it got "
                    + sent.get(0).status() + "); send it with OutboundHttp.execute(client, request, context)");
        }
        if (sent.size() > 1) {
            return Optional.of(name + " sent " + (sent.size() - 1) + " more requests after it was cancelled");
        }
        boolean ended = thrown instanceof CancellationException || (result != null && result.isError());
        return ended ? Optional.empty() : Optional.of(name + " returned a normal result although it was cancelled");
    }

    @Test
    final void writeToolsMatchTheDeclaredBehavior() {
        List<String> writes = tools().stream().filter(tool -> !tool.descriptor().readOnly())
                .map(tool -> tool.descriptor().name()).toList();
        if (!hasBehavior(ProviderBehavior.SUPPORTS_WRITES)) {
            assertThat(writes).as("%s offers write tools but its test does not declare SUPPORTS_WRITES",
                    factory().id()).isEmpty();
            return;
        }
        assertThat(writes).as("%s declares SUPPORTS_WRITES but offers no write tool", factory().id()).isNotEmpty();
        for (Tool tool : tools()) {
            if (!tool.descriptor().readOnly()) {
                assertThat(tool.descriptor().tags()).as("%s is a write tool; tag it 'write'", tool.descriptor().name())
                        .contains("write");
            }
        }
    }

    @Test
    final void fanOutMatchesTheDeclaredBehavior() {
        List<String> fanOut = tools().stream().filter(tool -> tool.descriptor().fanOut())
                .map(tool -> tool.descriptor().name()).toList();
        if (hasBehavior(ProviderBehavior.SUPPORTS_FAN_OUT)) {
            assertThat(fanOut).as("%s declares SUPPORTS_FAN_OUT but offers no fan-out tool", factory().id())
                    .isNotEmpty();
        } else {
            assertThat(fanOut).as("%s offers fan-out tools but its test does not declare SUPPORTS_FAN_OUT",
                    factory().id()).isEmpty();
        }
    }

    @Test
    final void callerCredentialsMatchTheDeclaredBehavior() {
        Optional<String> header = factory().callerCredentialHeader();
        if (hasBehavior(ProviderBehavior.SUPPORTS_CALLER_CREDENTIALS)) {
            assertThat(header).as("%s declares SUPPORTS_CALLER_CREDENTIALS but its factory names no "
                    + "callerCredentialHeader()", factory().id()).isPresent();
        } else {
            assertThat(header).as("%s takes caller credentials in a header but its test does not declare "
                    + "SUPPORTS_CALLER_CREDENTIALS", factory().id()).isEmpty();
        }
    }

    @Test
    final void commandUseMatchesTheDeclaredBehavior() {
        Set<String> asked = new LinkedHashSet<>(working.servicesAsked());
        asked.retainAll(COMMAND_SERVICES);
        if (hasBehavior(ProviderBehavior.SUPPORTS_COMMANDS)) {
            assertThat(asked).as("%s declares SUPPORTS_COMMANDS but never asked its context for %s",
                    factory().id(), COMMAND_SERVICES).isNotEmpty();
        } else {
            assertThat(asked).as("%s asked its context for command services but its test does not declare "
                    + "SUPPORTS_COMMANDS", factory().id()).isEmpty();
        }
    }

    @Test
    final void sandboxMatchesTheDeclaredBehavior() {
        if (hasBehavior(ProviderBehavior.HAS_SANDBOX)) {
            if (sandbox == null) {
                Optional<Sandbox> started = factory().startSandbox();
                started.ifPresent(Sandbox::close);
                assertThat(started).as("%s declares HAS_SANDBOX but its factory starts no sandbox", factory().id())
                        .isPresent();
            }
            return;
        }
        assertThat(sandbox).as("%s has a sandbox but its test does not declare HAS_SANDBOX", factory().id()).isNull();
        Optional<Sandbox> started = factory().startSandbox();
        started.ifPresent(Sandbox::close);
        assertThat(started).as("%s has a sandbox but its test does not declare HAS_SANDBOX", factory().id()).isEmpty();
    }

    @Test
    final void credentialsMatchTheDeclaredBehavior() {
        List<String> secrets = factory().configSpec().settings().stream().filter(Setting::secret).map(Setting::key)
                .toList();
        if (hasBehavior(ProviderBehavior.HAS_CREDENTIALS)) {
            assertThat(secrets).as("%s declares HAS_CREDENTIALS but declares no secret setting", factory().id())
                    .isNotEmpty();
        } else {
            assertThat(secrets).as("%s has secret settings but its test does not declare HAS_CREDENTIALS",
                    factory().id()).isEmpty();
        }
    }

    /** The instance's health check, run as background work with {@link #HEALTH_TIMEOUT}. */
    private static HealthStatus health(ProviderHarness.Instance instance) {
        return instance.provider().health(BackgroundCall.within(HEALTH_TIMEOUT));
    }

    /** The requests the providers sent so far, for subclasses' own checks. */
    protected final List<SentRequest> sentRequests() {
        List<SentRequest> sent = new ArrayList<>();
        for (ProviderHarness.Instance instance : new ProviderHarness.Instance[] {working, failing, refused}) {
            if (instance != null) {
                instance.exchanges().forEach(e -> sent.add(new SentRequest(e.method(), e.url(), e.markedIdempotent())));
            }
        }
        return List.copyOf(sent);
    }

    protected final Optional<Sandbox> sandbox() {
        return Optional.ofNullable(sandbox);
    }
}
