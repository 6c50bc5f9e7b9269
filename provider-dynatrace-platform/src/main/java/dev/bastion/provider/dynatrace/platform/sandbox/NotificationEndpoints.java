package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What leaves the platform: e-mail ({@code POST /platform/email/v1/emails}), events ingested through
 * the classic API ({@code POST /platform/classic/environment-api/v2/events/ingest}, which then show
 * in {@code fetch events}) and Slack messages through the Slack app's function
 * ({@code POST /platform/app-engine/app-functions/v1/apps/dynatrace.slack/api/slack-send-message}).
 * Each is recorded, nothing is delivered.
 */
final class NotificationEndpoints {

    /** The one Slack connection each environment has. */
    static final String SLACK_CONNECTION = "C-SANDBOX";
    static final int MAX_RECIPIENTS = 10;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> EVENT_TYPES = Set.of("AVAILABILITY_EVENT", "CUSTOM_ALERT", "CUSTOM_ANNOTATION",
            "CUSTOM_CONFIGURATION", "CUSTOM_DEPLOYMENT", "CUSTOM_INFO", "ERROR_EVENT", "MARKED_FOR_TERMINATION",
            "PERFORMANCE_EVENT", "RESOURCE_CONTENTION_EVENT");

    private final Clock clock;
    private final Map<String, GrailData> data;
    private final List<JsonNode> emails = new CopyOnWriteArrayList<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<JsonNode> slack = new CopyOnWriteArrayList<>();
    private final AtomicLong slackSequence = new AtomicLong();

    NotificationEndpoints(Clock clock, Map<String, GrailData> data) {
        this.clock = clock;
        this.data = data;
    }

    List<JsonNode> emails() {
        return List.copyOf(emails);
    }

    List<JsonNode> events() {
        return List.copyOf(events);
    }

    List<JsonNode> slack() {
        return List.copyOf(slack);
    }

    SandboxResponse email(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("email:emails:send");
        JsonNode body = object(request);
        int recipients = 0;
        ArrayNode invalid = NODES.arrayNode();
        for (String list : new String[] {"toRecipients", "ccRecipients", "bccRecipients"}) {
            JsonNode recipientList = body.path(list);
            if (recipientList.isMissingNode() || recipientList.isNull()) {
                continue;
            }
            if (!recipientList.isObject()) {
                throw PlatformErrors.badBody(list, "must be an object with emailAddresses");
            }
            for (String field : new String[] {"emailAddresses", "ssoUserIds", "ssoGroupIds"}) {
                JsonNode values = recipientList.path(field);
                if (values.isMissingNode() || values.isNull()) {
                    continue;
                }
                if (!values.isArray()) {
                    throw PlatformErrors.badBody(list + "." + field, "must be an array of strings");
                }
                for (JsonNode value : values) {
                    recipients++;
                    if (field.equals("emailAddresses") && !EMAIL.matcher(value.asText()).matches()) {
                        invalid.add(value.asText());
                    }
                }
            }
        }
        if (recipients == 0) {
            throw PlatformErrors.badBody("toRecipients", "at least one recipient is required");
        }
        if (recipients > MAX_RECIPIENTS) {
            throw PlatformErrors.badBody("toRecipients", "at most " + MAX_RECIPIENTS
                    + " recipients are allowed in total, got " + recipients);
        }
        if (body.path("subject").asText("").isBlank()) {
            throw PlatformErrors.badBody("subject", "must not be blank");
        }
        JsonNode content = body.path("body");
        if (!content.isObject() || content.path("body").asText("").isEmpty()) {
            throw PlatformErrors.badBody("body.body", "must not be empty");
        }
        String contentType = content.path("contentType").asText("text/plain");
        if (!contentType.equals("text/plain") && !contentType.equals("text/html")) {
            throw PlatformErrors.badBody("body.contentType", "must be text/plain or text/html");
        }
        String requestId = UUID.randomUUID().toString();
        ObjectNode recorded = body.deepCopy();
        recorded.put("environmentId", environmentId);
        recorded.put("requestId", requestId);
        emails.add(recorded);
        ObjectNode answer = NODES.objectNode();
        answer.put("requestId", requestId);
        answer.put("message", invalid.isEmpty() ? "Email request accepted" : "Email request partially accepted");
        ObjectNode rejected = answer.putObject("rejectedDestinations");
        rejected.putArray("bouncingDestinations");
        rejected.putArray("complainingDestinations");
        answer.set("invalidDestinations", invalid);
        return SandboxResponse.json(202, answer);
    }

    SandboxResponse ingestEvent(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("storage:events:write");
        JsonNode body = object(request);
        String type = body.path("eventType").asText("");
        if (!EVENT_TYPES.contains(type)) {
            throw PlatformErrors.badBody("eventType", "must be one of " + EVENT_TYPES.stream().sorted().toList());
        }
        String title = body.path("title").asText("");
        if (title.isBlank()) {
            throw PlatformErrors.badBody("title", "must not be blank");
        }
        JsonNode properties = body.path("properties");
        if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
            throw PlatformErrors.badBody("properties", "must be an object");
        }
        for (String time : new String[] {"startTime", "endTime"}) {
            if (!body.path(time).isMissingNode() && !body.path(time).isNull() && !body.path(time).canConvertToLong()) {
                throw PlatformErrors.badBody(time, "must be epoch milliseconds");
            }
        }
        String correlationId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode recorded = body.deepCopy();
        recorded.put("environmentId", environmentId);
        recorded.put("correlationId", correlationId);
        events.add(recorded);
        ObjectNode row = NODES.objectNode();
        Instant start = body.path("startTime").canConvertToLong()
                ? Instant.ofEpochMilli(body.path("startTime").asLong()) : clock.instant();
        row.put("timestamp", GrailData.iso(start));
        row.put("event.kind", "DAVIS_EVENT");
        row.put("event.type", type);
        row.put("event.name", title);
        row.put("event.provider", "EVENTS_REST_API_INGEST");
        row.put("event.id", correlationId);
        if (body.hasNonNull("entitySelector")) {
            row.put("dt.entity_selector", body.path("entitySelector").asText());
        }
        if (properties.isObject()) {
            properties.properties().forEach(e -> row.put(e.getKey(), e.getValue().asText()));
        }
        data.get(environmentId).ingest(row);
        ObjectNode answer = NODES.objectNode();
        answer.put("reportCount", 1);
        ObjectNode result = answer.putArray("eventIngestResults").addObject();
        result.put("correlationId", correlationId);
        result.put("status", "OK");
        return SandboxResponse.json(201, answer);
    }

    SandboxResponse appFunction(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("app-engine:apps:run");
        String app = request.pathParameter("appId");
        String function = request.pathParameter("function");
        if (!app.equals("dynatrace.slack")) {
            throw SandboxError.notFound("App " + app + " is not installed");
        }
        if (!function.equals("slack-send-message")) {
            throw SandboxError.notFound("App " + app + " has no function " + function);
        }
        JsonNode body = object(request);
        String connection = body.path("connection").asText("");
        String channel = body.path("channel").asText("");
        String message = body.path("message").asText("");
        ObjectNode answer = NODES.objectNode();
        if (connection.isBlank() || channel.isBlank() || message.isBlank()) {
            answer.put("error", "Not enough parameters provided");
            return SandboxResponse.json(answer);
        }
        if (!connection.equals(SLACK_CONNECTION)) {
            answer.put("error", "Connection '" + connection + "' not found");
            return SandboxResponse.json(answer);
        }
        Instant now = clock.instant();
        String ts = now.getEpochSecond() + "." + String.format("%06d", slackSequence.incrementAndGet() % 1_000_000);
        ObjectNode recorded = body.deepCopy();
        recorded.put("environmentId", environmentId);
        recorded.put("ts", ts);
        slack.add(recorded);
        ObjectNode result = answer.putObject("result");
        result.put("ok", true);
        result.put("channel", channel);
        result.put("ts", ts);
        result.put("connection", connection);
        return SandboxResponse.json(answer);
    }

    private static JsonNode object(SandboxRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw PlatformErrors.badBody("body", "must be a JSON object");
        }
        return body;
    }
}
