package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;

/** Telling people and systems: events into Dynatrace, e-mail and Slack through the platform. */
final class NotifyTools {

    static final int MAX_RECIPIENTS = 10;
    private static final Arg<String> EVENT_TYPE = Arg.enumeration("event_type", "The kind of event.", List.of(
            "CUSTOM_INFO", "CUSTOM_ANNOTATION", "CUSTOM_DEPLOYMENT", "CUSTOM_CONFIGURATION", "CUSTOM_ALERT",
            "AVAILABILITY_EVENT", "ERROR_EVENT", "PERFORMANCE_EVENT", "RESOURCE_CONTENTION_EVENT",
            "MARKED_FOR_TERMINATION")).required();
    private static final Arg<String> TITLE = Arg.string("title", "The event's title.", 500).required();
    private static final Arg<String> ENTITY = Arg.pattern("entity_id", "The entity the event is about, such as"
            + " HOST-0123456789ABCDEF; default none.", "^[A-Z_]+-[0-9A-F]{16}$", 40);
    private static final Arg<JsonNode> PROPERTIES = Arg.json("properties", "Properties of the event, a map of"
            + " strings.", JsonNodeFactory.instance.objectNode().put("type", "object").put("maxProperties", 50)
            .set("additionalProperties", JsonNodeFactory.instance.objectNode().put("type", "string")
                    .put("maxLength", 1000)));
    private static final String ADDRESS = "^[^@\\s\"<>,;]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}$";
    private static final Arg<List<String>> TO = Arg.strings("to", "Recipients' e-mail addresses (with cc and bcc at"
            + " most " + MAX_RECIPIENTS + ").", MAX_RECIPIENTS, 320, ADDRESS).required();
    private static final Arg<List<String>> CC = Arg.strings("cc", "E-mail addresses of copy recipients.", MAX_RECIPIENTS, 320, ADDRESS);
    private static final Arg<List<String>> BCC = Arg.strings("bcc", "E-mail addresses of blind copy recipients.", MAX_RECIPIENTS, 320,
            ADDRESS);
    private static final Arg<String> SUBJECT = Arg.string("subject", "The subject line of the e-mail.", 300).required();
    private static final Arg<String> BODY = Arg.string("body", "The text of the e-mail.", 50_000).required();
    private static final Arg<Boolean> HTML = Arg.bool("html", "Send the body as HTML; default plain text.")
            .withDefault(false);
    private static final Arg<String> CHANNEL = Arg.pattern("channel", "The Slack channel, such as #ops-alerts.",
            "^[#@]?[A-Za-z0-9._-]{1,80}$", 81).required();
    private static final Arg<String> MESSAGE = Arg.string("message", "The message, in Slack's markdown.", 4000).required();

    private final PlatformClient client;
    private final String slackConnection;

    NotifyTools(PlatformClient client, String slackConnection) {
        this.client = client;
        this.slackConnection = slackConnection;
    }

    List<ToolSpec> tools() {
        return List.of(sendEvent(), sendEmail(), sendSlack());
    }

    private ToolSpec sendEvent() {
        return ToolSupport.write("send_event", "Send an event", "storage:events:write")
                .description("Sends an event to Dynatrace (a deployment, a configuration change, an annotation or an"
                        + " alert), optionally on one entity; it shows on that entity and in fetch events.")
                .args(EVENT_TYPE, TITLE, ENTITY, PROPERTIES)
                .output("""
                        {"type":"object","required":["reported"],"properties":{"reported":{"type":"integer"},
                          "correlation_ids":{"type":"array","items":{"type":"string"}}}}""")
                .tags("events")
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.object();
                    body.put("eventType", args.get(EVENT_TYPE));
                    body.put("title", args.get(TITLE));
                    // An entity id is matched by its pattern; it goes in as an entityId() selector, never free text.
                    args.optional(ENTITY).ifPresent(id -> body.put("entitySelector", "entityId(\"" + id + "\")"));
                    args.optional(PROPERTIES).ifPresent(properties -> body.set("properties", properties));
                    JsonNode answer = client.send(client.post(body, "platform", "classic", "environment-api", "v2",
                            "events", "ingest"), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("reported", answer.path("reportCount").asInt(0));
                    ArrayNode ids = out.putArray("correlation_ids");
                    answer.path("eventIngestResults").forEach(result -> ids.add(result.path("correlationId").asText()));
                    if (answer.path("reportCount").asInt(0) == 0) {
                        throw new ToolFailure("Dynatrace reported the event on no entity; check entity_id");
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec sendEmail() {
        // Irreversible and leaving Dynatrace: asks for approval even under the default approval mode.
        return ToolSupport.destructive("send_email", "Send an e-mail", "email:emails:send")
                .description("Sends an e-mail from Dynatrace (no-reply@apps.dynatrace.com) to at most "
                        + MAX_RECIPIENTS + " recipients, plain text unless html is set. Returns the request id and"
                        + " the addresses the platform refused.")
                .args(TO, CC, BCC, SUBJECT, BODY, HTML)
                .output("""
                        {"type":"object","required":["request_id"],"properties":{"request_id":{"type":"string"},
                          "invalid":{"type":"array","items":{"type":"string"}},
                          "rejected":{"type":"array","items":{"type":"string"}}}}""")
                .tags("email")
                .handler((args, context) -> {
                    List<String> to = args.get(TO);
                    List<String> cc = args.optional(CC).orElse(List.of());
                    List<String> bcc = args.optional(BCC).orElse(List.of());
                    if (to.size() + cc.size() + bcc.size() > MAX_RECIPIENTS) {
                        throw new ToolFailure("An e-mail goes to at most " + MAX_RECIPIENTS + " recipients in to, cc"
                                + " and bcc together; this one names " + (to.size() + cc.size() + bcc.size()));
                    }
                    ObjectNode body = ToolSupport.object();
                    addresses(body.putObject("toRecipients"), to);
                    addresses(body.putObject("ccRecipients"), cc);
                    addresses(body.putObject("bccRecipients"), bcc);
                    body.put("subject", args.get(SUBJECT));
                    body.putObject("body").put("contentType", args.get(HTML) ? "text/html" : "text/plain")
                            .put("body", args.get(BODY));
                    JsonNode answer = client.send(client.post(body, "platform", "email", "v1", "emails"), context);
                    int refused = answer.path("invalidDestinations").size()
                            + answer.path("rejectedDestinations").path("bouncingDestinations").size()
                            + answer.path("rejectedDestinations").path("complainingDestinations").size();
                    if (answer.path("requestId").asText("").isEmpty() || refused >= to.size() + cc.size() + bcc.size()) {
                        throw new ToolFailure("The platform accepted no recipient of the e-mail (" + refused
                                + " refused); nothing was sent");
                    }
                    ObjectNode out = ToolSupport.object();
                    out.put("request_id", answer.path("requestId").asText());
                    ArrayNode invalid = out.putArray("invalid");
                    answer.path("invalidDestinations").forEach(address -> invalid.add(address.asText()));
                    ArrayNode rejected = out.putArray("rejected");
                    answer.path("rejectedDestinations").path("bouncingDestinations").forEach(a -> rejected.add(a.asText()));
                    answer.path("rejectedDestinations").path("complainingDestinations").forEach(a -> rejected.add(a.asText()));
                    return ToolResult.structured(out);
                }).build();
    }

    private static void addresses(ObjectNode recipients, List<String> addresses) {
        ArrayNode list = recipients.putArray("emailAddresses");
        addresses.forEach(list::add);
    }

    private ToolSpec sendSlack() {
        return ToolSupport.destructive("send_slack_message", "Send a Slack message", "app-engine:apps:run",
                        "app-settings:objects:read")
                .description("Posts a message to a Slack channel through the Dynatrace Slack app, with the"
                        + " environment's slack_connection_id.")
                .args(CHANNEL, MESSAGE)
                .output("""
                        {"type":"object","required":["channel"],"properties":{"channel":{"type":"string"},
                          "ts":{"type":"string"}}}""")
                .tags("slack")
                .handler((args, context) -> {
                    if (slackConnection == null) {
                        throw new ToolFailure("Environment " + client.alias() + " has no slack_connection_id"
                                + " (SLACK_CONNECTION_ID): set the Slack app connection to post through");
                    }
                    ObjectNode body = ToolSupport.object();
                    body.put("connection", slackConnection);
                    body.put("channel", args.get(CHANNEL));
                    body.put("message", args.get(MESSAGE));
                    JsonNode answer = client.send(client.post(body, "platform", "app-engine", "app-functions", "v1",
                            "apps", "dynatrace.slack", "api", "slack-send-message"), context);
                    // The app function answers 200 and says in "error" when it failed.
                    if (answer.hasNonNull("error")) {
                        throw new ToolFailure("The Slack app refused the message: " + CompactJson.clip(
                                answer.path("error").asText(answer.path("error").toString()), 300));
                    }
                    ObjectNode out = ToolSupport.object();
                    out.put("channel", args.get(CHANNEL));
                    CompactJson.put(out, "ts", CompactJson.text(answer.path("result"), "ts"));
                    return ToolResult.structured(out);
                }).build();
    }
}
