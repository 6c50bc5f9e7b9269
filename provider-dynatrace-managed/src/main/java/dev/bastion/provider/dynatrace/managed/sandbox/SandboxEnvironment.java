package dev.bastion.provider.dynatrace.managed.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.PageKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated environment: its id, token, scopes, data and the state its write endpoints change.
 * The endpoints themselves are one class per family ({@link ProblemEndpoints} and its siblings);
 * they run under this object's lock, one request at a time per environment.
 */
public final class SandboxEnvironment {

    /** Every scope the provider's tools use. */
    public static final List<String> ALL_SCOPES = List.of("DataExport", "problems.read", "problems.write",
            "events.read", "events.ingest", "entities.read", "metrics.read", "logs.read", "securityProblems.read",
            "slo.read", "auditLogs.read");

    private final String alias;
    private final String environmentId;
    private final String token;
    final List<String> scopes;
    final SandboxData data;
    /** Page keys are signed per environment: another environment's key is refused, as the real API does. */
    final PageKeys pageKeys = PageKeys.create();
    final Map<String, List<ObjectNode>> commentsByProblem = new LinkedHashMap<>();
    final List<ObjectNode> ingested = new ArrayList<>();

    SandboxEnvironment(String alias, String environmentId, String token, List<String> scopes, SandboxData data) {
        this.alias = requireNonNull(alias, "alias is null");
        this.environmentId = requireNonNull(environmentId, "environmentId is null");
        this.token = requireNonNull(token, "token is null");
        this.scopes = List.copyOf(scopes);
        this.data = requireNonNull(data, "data is null");
    }

    public String alias() {
        return alias;
    }

    public String environmentId() {
        return environmentId;
    }

    /** The generated API token ({@code dt0c01.<24>.<64>}). */
    public String token() {
        return token;
    }

    /** The problems as the API stores them, newest first (state included). */
    public synchronized List<ObjectNode> problems() {
        return data.problems.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> comments(String problemId) {
        return commentsByProblem.getOrDefault(problemId, List.of()).stream().map(ObjectNode::deepCopy).toList();
    }

    /** Events created through {@code POST /events/ingest}. */
    public synchronized List<ObjectNode> ingestedEvents() {
        return ingested.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> entities() {
        return data.entities.stream().map(ObjectNode::deepCopy).toList();
    }
}
