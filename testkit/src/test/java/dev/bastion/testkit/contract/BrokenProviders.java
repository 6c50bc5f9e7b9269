package dev.bastion.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ToolResult;
import java.io.IOException;
import java.net.URI;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The mistakes the contract must catch (issue 8, "Why"), one provider each. */
final class BrokenProviders {

    private BrokenProviders() {
    }

    /** Its sandbox hands out a URL nothing listens on, so its tools never reach it. */
    static final class UnreachableSandbox extends ItemsProviderFactory {
        @Override
        ItemsSandbox.Defect sandboxDefect() {
            return ItemsSandbox.Defect.ADVERTISES_A_CLOSED_PORT;
        }
    }

    /** Calls a path the backend does not have, and passes the 404 off as "no items". */
    static final class NotFoundOnEveryCall extends ItemsProviderFactory {
        @Override
        String itemsPath() {
            return "/api/item";
        }

        @Override
        ToolResult onNotFound(ObjectMapper json) {
            ObjectNode empty = json.createObjectNode();
            empty.putArray("items");
            return ToolResult.structured(empty, empty.toString());
        }
    }

    /** Renames a field its outputSchema requires. */
    static final class BrokenOutputSchema extends ItemsProviderFactory {
        @Override
        JsonNode shape(ObjectMapper json, JsonNode body) {
            ObjectNode out = json.createObjectNode();
            body.path("items").forEach(item -> out.withArray("items").addObject().put("title", item.path("name").asText()));
            return out;
        }
    }

    /** Quotes the refused API key in its 401 message. */
    static final class KeyInRefusalMessage extends ItemsProviderFactory {
        @Override
        String refusedMessage(String key) {
            return "The items backend refused the API key " + key + " (401); check api_key";
        }
    }

    /** Logs the API key through the call context. */
    static final class KeyInLogMessage extends ItemsProviderFactory {
        @Override
        void logBeforeRequest(CallContext context, URI url, String key) {
            context.log(LogLevel.DEBUG, "listing items from " + url.getHost() + " with key " + key);
        }
    }

    /** Sends its request on its own, so cancelling the call leaves the request running. */
    static final class IgnoresCancellation extends ItemsProviderFactory {
        @Override
        Response send(OkHttpClient client, Request request, CallContext context) throws IOException {
            return client.newCall(request).execute();
        }
    }

    /** Reports progress with the API key in the message. */
    static final class KeyInProgressMessage extends ItemsProviderFactory {
        @Override
        String progressMessage(String key) {
            return "listed the items with key " + key;
        }
    }

    /** Sets the API key as a header of its own instead of declaring it as the backend's credentials. */
    static final class KeyInOwnHeader extends ItemsProviderFactory {
        @Override
        Request.Builder request(HttpUrl target, String key) {
            return new Request.Builder().url(target).header("X-Api-Key", key);
        }
    }

    /** Its sandbox lets any key in, so a wrong credential is never refused. */
    static final class SandboxAcceptsAnyKey extends ItemsProviderFactory {
        @Override
        ItemsSandbox.Defect sandboxDefect() {
            return ItemsSandbox.Defect.ACCEPTS_ANY_KEY;
        }
    }
}
