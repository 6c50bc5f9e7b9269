package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Engine settings.
 *
 * @param serverName the {@code serverInfo.name} sent in {@code initialize}
 * @param serverVersion the {@code serverInfo.version}
 * @param instructions optional instructions for the client's model, or {@code null}
 * @param pageSize items per page of the list methods
 * @param callTimeout the deadline of each tool call, resource read and prompt
 * @param clientRequestTimeout how long a server-to-client request (elicitation, sampling, roots) may wait
 * @param workerThreads requests handled at the same time
 * @param maxQueuedRequests requests waiting for a worker before the server answers "busy"
 */
public record McpEngineOptions(String serverName, String serverVersion, String instructions, int pageSize,
                               Duration callTimeout, Duration clientRequestTimeout, int workerThreads,
                               int maxQueuedRequests) {
    public McpEngineOptions {
        requireNonNull(serverName, "serverName is null");
        requireNonNull(serverVersion, "serverVersion is null");
        requireNonNull(callTimeout, "callTimeout is null");
        requireNonNull(clientRequestTimeout, "clientRequestTimeout is null");
        if (pageSize < 1 || workerThreads < 1 || maxQueuedRequests < 0) {
            throw new IllegalArgumentException("pageSize and workerThreads must be positive");
        }
    }

    public static McpEngineOptions defaults(String serverVersion) {
        return new McpEngineOptions("bastion", serverVersion, null, 100, Duration.ofSeconds(30),
                Duration.ofSeconds(120), 16, 256);
    }

    public McpEngineOptions withPageSize(int size) {
        return new McpEngineOptions(serverName, serverVersion, instructions, size, callTimeout, clientRequestTimeout,
                workerThreads, maxQueuedRequests);
    }

    public McpEngineOptions withCallTimeout(Duration timeout) {
        return new McpEngineOptions(serverName, serverVersion, instructions, pageSize, timeout, clientRequestTimeout,
                workerThreads, maxQueuedRequests);
    }

    public McpEngineOptions withClientRequestTimeout(Duration timeout) {
        return new McpEngineOptions(serverName, serverVersion, instructions, pageSize, callTimeout, timeout,
                workerThreads, maxQueuedRequests);
    }
}
