package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Dql;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlException;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Davis CoPilot skills ({@code /platform/davis/copilot/v1/skills}, also served as {@code v0.2}):
 * nl2dql translates a small set of phrases ("error logs of the last 2 hours", "open problems",
 * "critical vulnerabilities", "hosts with high cpu", ...) into DQL the sandbox's engine runs; dql2nl
 * describes a query command by command after the engine parsed it; a conversation answers from the
 * environment's own data (problem, vulnerability, error-log and host counts).
 */
final class CopilotEndpoints {

    private static final Pattern LAST = Pattern.compile("(?:last|past)\\s+(\\d+)?\\s*(minute|min|hour|h|day|d|week)s?\\b");

    private final Clock clock;
    private final Map<String, GrailData> data;

    CopilotEndpoints(Clock clock, Map<String, GrailData> data) {
        this.clock = clock;
        this.data = data;
    }

    SandboxResponse skills(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.requireAny("davis-copilot:conversations:execute", "davis-copilot:nl2dql:execute",
                "davis-copilot:dql2nl:execute");
        ObjectNode body = NODES.objectNode();
        body.putArray("skills").add("conversation").add("nl2dql").add("dql2nl");
        return SandboxResponse.json(body);
    }

    SandboxResponse nl2dql(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("davis-copilot:nl2dql:execute");
        String text = text(request, "text");
        ObjectNode body = NODES.objectNode();
        ArrayNode notifications = NODES.arrayNode();
        String dql = translate(text);
        if (dql != null) {
            try {
                Dql.parse(dql);
            } catch (DqlException e) {
                dql = null;
            }
        }
        body.put("dql", dql == null ? "" : dql);
        body.put("messageToken", UUID.randomUUID().toString());
        body.put("status", dql == null ? "FAILED" : "SUCCESSFUL");
        if (dql == null) {
            ObjectNode n = notifications.addObject();
            n.put("severity", "ERROR");
            n.put("notificationType", "UNABLE_TO_GENERATE");
            n.put("message", "Davis CoPilot could not turn this request into DQL. Name the data: logs, problems, "
                    + "vulnerabilities, events, spans, hosts, services, exceptions, or a host or service metric.");
        }
        body.putObject("metadata").set("notifications", notifications);
        return SandboxResponse.json(body);
    }

    SandboxResponse dql2nl(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("davis-copilot:dql2nl:execute");
        String dql = text(request, "dql");
        ObjectNode body = NODES.objectNode();
        ArrayNode notifications = NODES.arrayNode();
        try {
            Dql.parse(dql);
            List<String> commands = DqlText.commands(dql);
            List<String> steps = new ArrayList<>();
            for (String command : commands) {
                steps.add(describe(command));
            }
            String summary = steps.get(0) + (steps.size() > 1 ? ", then " + steps.get(steps.size() - 1) : "") + ".";
            StringBuilder explanation = new StringBuilder("The query runs " + commands.size()
                    + (commands.size() == 1 ? " command" : " commands") + ":\n");
            for (int i = 0; i < steps.size(); i++) {
                explanation.append(i + 1).append(". `").append(commands.get(i)).append("`: ").append(steps.get(i)).append(".\n");
            }
            body.put("summary", capitalize(summary));
            body.put("explanation", explanation.toString().trim());
            body.put("status", "SUCCESSFUL");
        } catch (DqlException e) {
            body.put("summary", "");
            body.put("explanation", "");
            body.put("status", "FAILED");
            ObjectNode n = notifications.addObject();
            n.put("severity", "ERROR");
            n.put("notificationType", e.code());
            n.put("message", "The query is not valid DQL: " + e.getMessage() + " (line " + e.line() + ", column "
                    + e.column() + ")");
        }
        body.put("messageToken", UUID.randomUUID().toString());
        body.putObject("metadata").set("notifications", notifications);
        return SandboxResponse.json(body);
    }

    SandboxResponse conversation(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("davis-copilot:conversations:execute");
        String text = text(request, "text");
        JsonNode state = request.json().path("state");
        GrailData grail = data.get(environmentId);
        String lower = text.toLowerCase(Locale.ROOT);
        String environmentUrl = "/e/" + environmentId;
        ArrayNode sources = NODES.arrayNode();
        String answer;
        if (lower.contains("problem")) {
            List<ObjectNode> problems = grail.table("dt.davis.problems").orElseThrow();
            List<ObjectNode> open = problems.stream().filter(p -> p.path("event.status").asText().equals("ACTIVE")).toList();
            StringBuilder out = new StringBuilder("Environment " + environmentId + " has " + open.size()
                    + " open problems (of " + problems.size() + " in the last 7 days).");
            open.stream().limit(5).forEach(p -> out.append("\n- ").append(p.path("display_id").asText()).append(": ")
                    .append(p.path("event.name").asText()).append(" (").append(p.path("event.category").asText())
                    .append(") on ").append(p.path("root_cause_entity_name").asText()));
            answer = out.toString();
            source(sources, "Problems", environmentUrl + "/ui/apps/dynatrace.davis.problems", "app");
        } else if (lower.contains("vulnerab") || lower.contains("cve") || lower.contains("security")) {
            List<ObjectNode> vulns = grail.table("security.events").orElseThrow();
            long open = vulns.stream().filter(v -> v.path("vulnerability.resolution.status").asText().equals("OPEN")).count();
            long critical = vulns.stream().filter(v -> v.path("vulnerability.resolution.status").asText().equals("OPEN")
                    && v.path("vulnerability.risk.level").asText().equals("CRITICAL")).count();
            answer = "Environment " + environmentId + " has " + open + " open vulnerabilities, " + critical
                    + " of them CRITICAL (" + vulns.size() + " tracked).";
            source(sources, "Vulnerabilities", environmentUrl + "/ui/apps/dynatrace.security.vulnerabilities", "app");
        } else if (lower.contains("log") || lower.contains("error")) {
            Instant since = clock.instant().minus(Duration.ofHours(24));
            long errors = grail.table("logs").orElseThrow().stream()
                    .filter(l -> l.path("loglevel").asText().equals("ERROR")
                            && Instant.parse(l.path("timestamp").asText()).isAfter(since)).count();
            answer = "Environment " + environmentId + " logged " + errors + " ERROR log lines in the last 24 hours. "
                    + "Query them with: fetch logs, from:now()-24h | filter loglevel == \"ERROR\"";
            source(sources, "Logs", environmentUrl + "/ui/apps/dynatrace.logs", "app");
        } else if (lower.contains("host")) {
            StringBuilder out = new StringBuilder("Environment " + environmentId + " monitors " + grail.hosts.size() + " hosts:");
            grail.hosts.forEach(h -> out.append("\n- ").append(h.name()).append(" (").append(h.id()).append(")"));
            answer = out.toString();
            source(sources, "Infrastructure & Operations", environmentUrl + "/ui/apps/dynatrace.infraops", "app");
        } else {
            answer = "I can answer about environment " + environmentId + ": " + grail.hosts.size() + " hosts, "
                    + grail.services.size() + " services, and its problems, vulnerabilities, logs, events and spans. "
                    + "Ask, for example, \"Which problems are open?\"";
            source(sources, "Davis CoPilot", "https://docs.dynatrace.com/docs/discover-dynatrace/platform/davis-ai/copilot", "documentation");
        }
        ObjectNode body = NODES.objectNode();
        body.put("text", answer);
        body.put("messageToken", UUID.randomUUID().toString());
        body.put("status", "SUCCESSFUL");
        ObjectNode newState = body.putObject("state");
        newState.put("version", "1");
        newState.put("conversationId", state.path("conversationId").asText(UUID.randomUUID().toString()));
        newState.put("skillName", "conversation");
        ArrayNode history = newState.putArray("history");
        if (state.path("history").isArray()) {
            state.path("history").forEach(history::add);
        }
        history.addObject().put("role", "user").put("text", text);
        history.addObject().put("role", "assistant").put("text", answer);
        ObjectNode metadata = body.putObject("metadata");
        metadata.putArray("notifications");
        metadata.set("sources", sources);
        return SandboxResponse.json(body);
    }

    /** The DQL for a phrase, or null when the phrase names nothing the sandbox knows. */
    static String translate(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        String range = range(t);
        boolean count = t.contains("how many") || t.startsWith("count") || t.contains("number of");
        String tail = count ? "\n| summarize count()" : "";
        if (t.contains("cpu") || t.contains("memory") || t.contains("response time") || t.contains("request count")
                || t.contains("throughput")) {
            String metric = t.contains("cpu") ? "dt.host.cpu.usage" : t.contains("memory") ? "dt.host.memory.usage"
                    : t.contains("response time") ? "dt.service.request.response_time" : "dt.service.request.count";
            String dimension = metric.startsWith("dt.host") ? "dt.entity.host" : "dt.entity.service";
            String aggregation = t.contains("high") || t.contains("max") || t.contains("peak") ? "max"
                    : metric.endsWith("count") ? "sum" : "avg";
            String name = metric.substring(metric.lastIndexOf('.', metric.lastIndexOf('.') - 1) + 1).replace('.', '_');
            return "timeseries " + name + " = " + aggregation + "(" + metric + "), by:{" + dimension + "}"
                    + (range.isEmpty() ? "" : range);
        }
        if (t.contains("vulnerab") || t.contains("cve")) {
            StringBuilder q = new StringBuilder("fetch security.events" + range
                    + "\n| filter event.type == \"VULNERABILITY_STATE_REPORT_EVENT\"");
            if (t.contains("open") || t.contains("unresolved")) {
                q.append("\n| filter vulnerability.resolution.status == \"OPEN\"");
            }
            for (String level : new String[] {"critical", "high", "medium", "low"}) {
                if (t.contains(level)) {
                    q.append("\n| filter vulnerability.risk.level == \"").append(level.toUpperCase(Locale.ROOT)).append("\"");
                    break;
                }
            }
            return q + (count ? tail : "\n| sort vulnerability.risk.score desc");
        }
        if (t.contains("problem")) {
            StringBuilder q = new StringBuilder("fetch dt.davis.problems" + range);
            if (t.contains("open") || t.contains("active") || t.contains("current")) {
                q.append("\n| filter event.status == \"ACTIVE\"");
            } else if (t.contains("closed") || t.contains("resolved")) {
                q.append("\n| filter event.status == \"CLOSED\"");
            }
            return q + (count ? tail : "\n| sort timestamp desc");
        }
        if (t.contains("exception") || t.contains("crash") || t.contains("frontend error")) {
            return "fetch user.events" + range + "\n| filter isNotNull(error.id)"
                    + (count ? tail : "\n| fields start_time, error.type, error.message, frontend.name\n| sort start_time desc");
        }
        if (t.contains("kubernetes") || t.contains("k8s") || t.contains("pod")) {
            return "fetch events" + range + "\n| filter isNotNull(k8s.cluster.name)" + (count ? tail : "\n| sort timestamp desc");
        }
        if (t.contains("deployment")) {
            return "fetch events" + range + "\n| filter event.type == \"CUSTOM_DEPLOYMENT\"" + (count ? tail : "\n| sort timestamp desc");
        }
        if (t.contains("log")) {
            StringBuilder q = new StringBuilder("fetch logs" + range);
            for (String level : new String[] {"error", "warn", "info", "debug"}) {
                if (t.contains(level)) {
                    q.append("\n| filter loglevel == \"").append(level.equals("warn") ? "WARN" : level.toUpperCase(Locale.ROOT))
                            .append("\"");
                    break;
                }
            }
            if (t.contains("per service") || t.contains("by service")) {
                return q + "\n| summarize count(), by:{service.name}";
            }
            return q + (count ? tail : "\n| sort timestamp desc\n| limit 100");
        }
        if (t.contains("span") || t.contains("trace") || t.contains("request")) {
            StringBuilder q = new StringBuilder("fetch spans" + range);
            if (t.contains("fail") || t.contains("error")) {
                q.append("\n| filter request.is_failed == true");
            }
            return q + (count ? tail : "\n| sort timestamp desc\n| limit 100");
        }
        if (t.contains("bizevent") || t.contains("business") || t.contains("purchase")) {
            return "fetch bizevents" + range + (count ? tail : "\n| sort timestamp desc\n| limit 100");
        }
        if (t.contains("event")) {
            return "fetch events" + range + (count ? tail : "\n| sort timestamp desc\n| limit 100");
        }
        if (t.contains("host")) {
            return "fetch dt.entity.host\n| fields id, entity.name, tags";
        }
        if (t.contains("service")) {
            return "fetch dt.entity.service\n| fields id, entity.name, tags";
        }
        if (t.contains("cluster")) {
            return "fetch dt.entity.kubernetes_cluster\n| fields id, entity.name";
        }
        return null;
    }

    private static String range(String t) {
        Matcher m = LAST.matcher(t);
        if (m.find()) {
            int n = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            String unit = m.group(2);
            String suffix = unit.startsWith("min") ? "m" : unit.startsWith("h") ? "h" : unit.startsWith("w") ? "d" : "d";
            if (unit.startsWith("w")) {
                n *= 7;
            }
            return ", from:now()-" + n + suffix;
        }
        if (t.contains("today")) {
            return ", from:now()-24h";
        }
        return "";
    }

    private static String describe(String command) {
        String word = command.split("[\\s,]", 2)[0];
        String rest = command.substring(word.length()).trim();
        return switch (word) {
            case "fetch" -> "fetch " + table(rest.split("[\\s,]", 2)[0])
                    + (rest.contains("from:") ? " from " + rest.substring(rest.indexOf("from:") + 5).split(",")[0].trim() : "");
            case "timeseries" -> "build a time series of " + rest;
            case "filter" -> "keep only the records where " + rest;
            case "filterOut" -> "drop the records where " + rest;
            case "fields" -> "keep only the fields " + rest;
            case "fieldsAdd" -> "add the fields " + rest;
            case "fieldsRemove" -> "remove the fields " + rest;
            case "sort" -> "sort by " + rest;
            case "limit" -> "return at most " + rest + " records";
            case "summarize" -> "aggregate " + rest;
            case "search" -> "search all fields for " + rest;
            default -> "apply " + word + " " + rest;
        };
    }

    private static String table(String name) {
        return switch (name) {
            case "logs" -> "log records";
            case "events" -> "events";
            case "bizevents" -> "business events";
            case "spans" -> "spans";
            case "dt.davis.problems" -> "Davis problems";
            case "security.events", "dt.security_events" -> "security events";
            case "user.events" -> "user events";
            default -> name.startsWith("dt.entity.") ? name.substring(10).replace('_', ' ') + " entities" : name + " records";
        };
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static void source(ArrayNode sources, String title, String url, String type) {
        sources.addObject().put("title", title).put("url", url).put("type", type);
    }

    private static String text(SandboxRequest request, String field) {
        JsonNode body = request.json();
        if (!body.isObject() || !body.path(field).isTextual() || body.path(field).asText().isBlank()) {
            throw PlatformErrors.badBody(field, "must not be blank");
        }
        return body.path(field).asText();
    }
}
