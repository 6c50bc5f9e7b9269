package dev.bastion.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A provider the contract accepts: one read tool that lists the items of its {@link ItemsSandbox},
 * authenticated with an API key. Each deliberately broken provider in {@link BrokenProviders}
 * overrides one hook with one mistake a provider author makes.
 */
class ItemsProviderFactory implements ProviderFactory {

    static final String URL = "url";
    static final String API_KEY = "api_key";
    static final String ALLOW_INSECURE_LOOPBACK = "allow_insecure_loopback";

    @Override
    public String id() {
        return "items";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                Setting.builder(URL, SettingType.URL).required().description("Base URL of the items backend").build(),
                Setting.builder(API_KEY, SettingType.STRING).required().secret()
                        .description("API key sent as Authorization: Api-Key").build(),
                Setting.builder(ALLOW_INSECURE_LOOPBACK, SettingType.BOOLEAN).defaultValue("false")
                        .description("Allow plain http to loopback (sandboxes and tests only)").build());
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(ItemsSandbox.start(sandboxDefect()));
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        String key = config.requireSecret(API_KEY).reveal();
        BackendSpec spec = BackendSpec.builder("items/" + config.alias())
                .allowInsecureLoopback(config.bool(ALLOW_INSECURE_LOOPBACK).orElse(false))
                .credentials(new BackendCredentials() {
                    @Override
                    public Map<String, String> headersFor(OutgoingRequest request) {
                        return Map.of("Authorization", "Api-Key " + key);
                    }

                    @Override
                    public List<String> secretValues() {
                        return List.of(key);
                    }
                })
                .build();
        OkHttpClient client = context.require(OutboundHttp.class).client(spec);
        return new ItemsProvider(this, config.requireUrl(URL), key, client, context.json());
    }

    // The hooks a broken provider overrides, one mistake each.

    ItemsSandbox.Defect sandboxDefect() {
        return ItemsSandbox.Defect.NONE;
    }

    String itemsPath() {
        return "/api/items";
    }

    /** What the tool makes of a 404: an error, as it should be. */
    ToolResult onNotFound(ObjectMapper json) {
        return ToolResult.error("The items backend has no /api/items endpoint (404); check url");
    }

    String refusedMessage(String key) {
        return "The items backend refused the API key (401); check api_key";
    }

    void logBeforeRequest(CallContext context, URI url, String key) {
        context.log(LogLevel.DEBUG, "listing items from " + url.getHost());
    }

    String progressMessage(String key) {
        return "listed the items";
    }

    /** The request for {@code target}; the credential is added by the outbound client, not here. */
    Request.Builder request(HttpUrl target, String key) {
        return new Request.Builder().url(target);
    }

    /** How the tool sends its request: tied to the call, so cancelling the call cancels the request. */
    Response send(OkHttpClient client, Request request, CallContext context) throws IOException {
        return OutboundHttp.execute(client, request, context);
    }

    JsonNode shape(ObjectMapper json, JsonNode body) {
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("items");
        body.path("items").forEach(item -> items.addObject().put("name", item.path("name").asText()));
        return out;
    }

    static final class ItemsProvider implements Provider {
        private final ItemsProviderFactory factory;
        private final URI url;
        private final String key;
        private final OkHttpClient client;
        private final ObjectMapper json;

        ItemsProvider(ItemsProviderFactory factory, URI url, String key, OkHttpClient client, ObjectMapper json) {
            this.factory = factory;
            this.url = url;
            this.key = key;
            this.client = client;
            this.json = json;
        }

        @Override
        public List<Tool> tools() {
            ObjectNode input = ToolDescriptor.noArguments();
            input.putObject("properties").putObject("limit").put("type", "integer").put("minimum", 1)
                    .put("maximum", 50).put("default", 10)
                    .put("description", "How many items to return at most (1 to 50).");
            ObjectNode output = json.createObjectNode().put("type", "object");
            output.putArray("required").add("items");
            ObjectNode item = output.putObject("properties").putObject("items").put("type", "array")
                    .putObject("items").put("type", "object");
            item.putArray("required").add("name");
            item.putObject("properties").putObject("name").put("type", "string");
            ToolDescriptor descriptor = ToolDescriptor.builder("items_list_items").title("List items")
                    .description("Lists the items stored in the backend with their names; use it to see what "
                            + "exists before asking about one item.")
                    .inputSchema(input).outputSchema(output).annotations(ToolAnnotations.readOnly()).build();
            return List.of(Tool.of(descriptor, this::listItems));
        }

        private ToolResult listItems(ObjectNode arguments, CallContext context) throws IOException {
            int limit = arguments.path("limit").asInt(10);
            factory.logBeforeRequest(context, url, key);
            HttpUrl target = HttpUrl.get(url.resolve(factory.itemsPath())).newBuilder()
                    .addQueryParameter("limit", Integer.toString(limit)).build();
            try (Response response = factory.send(client, factory.request(target, key).build(), context)) {
                if (response.code() == 401) {
                    return ToolResult.error(factory.refusedMessage(key));
                }
                if (response.code() == 404) {
                    return factory.onNotFound(json);
                }
                if (!response.isSuccessful()) {
                    return ToolResult.error("The items backend answered " + response.code() + "; try again later");
                }
                JsonNode body = json.readTree(response.body().byteStream());
                context.progress().report(1, 1.0, factory.progressMessage(key));
                JsonNode structured = factory.shape(json, body);
                return ToolResult.structured(structured, json.writeValueAsString(structured));
            } catch (IOException e) {
                return ToolResult.error(context.isCancelled() ? "The call was cancelled"
                        : "Cannot reach the items backend at " + url.getHost() + ":" + url.getPort() + "; check url");
            }
        }

        @Override
        public HealthStatus health(CallContext call) {
            Request request = new Request.Builder().url(HttpUrl.get(url.resolve("/api/health"))).build();
            try (Response response = client.newCall(request).execute()) {
                return response.isSuccessful() ? HealthStatus.up("items backend reachable")
                        : HealthStatus.down("items backend answered " + response.code() + "; check url and api_key");
            } catch (IOException e) {
                return HealthStatus.down("items backend unreachable; check url");
            }
        }
    }
}
