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
 * @param requestStateKey the key that signs the {@code requestState} of {@code input_required}
 *     results (protocol 2026-07-28), at least 32 bytes; {@code null} for a random key of this process
 */
public record McpEngineOptions(String serverName, String serverVersion, String instructions, int pageSize,
                               Duration callTimeout, Duration clientRequestTimeout, int workerThreads,
                               int maxQueuedRequests, byte[] requestStateKey) {

    public McpEngineOptions(String serverName, String serverVersion, String instructions, int pageSize,
                            Duration callTimeout, Duration clientRequestTimeout, int workerThreads,
                            int maxQueuedRequests) {
        this(serverName, serverVersion, instructions, pageSize, callTimeout, clientRequestTimeout, workerThreads,
                maxQueuedRequests, null);
    }

    public McpEngineOptions {
        requireNonNull(serverName, "serverName is null");
        requireNonNull(serverVersion, "serverVersion is null");
        requireNonNull(callTimeout, "callTimeout is null");
        requireNonNull(clientRequestTimeout, "clientRequestTimeout is null");
        if (pageSize < 1 || workerThreads < 1 || maxQueuedRequests < 0) {
            throw new IllegalArgumentException("pageSize and workerThreads must be positive");
        }
        if (requestStateKey != null) {
            if (requestStateKey.length < RequestStates.MIN_KEY_BYTES) {
                throw new IllegalArgumentException("requestStateKey must have at least " + RequestStates.MIN_KEY_BYTES
                        + " bytes");
            }
            requestStateKey = requestStateKey.clone();
        }
    }

    public static McpEngineOptions defaults(String serverVersion) {
        return new McpEngineOptions("bastion", serverVersion, null, 100, Duration.ofSeconds(30),
                Duration.ofSeconds(120), 16, 256);
    }

    /** With {@code key} signing the request states, so that every replica sharing it accepts them. */
    public McpEngineOptions withRequestStateKey(byte[] key) {
        return new McpEngineOptions(serverName, serverVersion, instructions, pageSize, callTimeout,
                clientRequestTimeout, workerThreads, maxQueuedRequests, key);
    }

    @Override
    public byte[] requestStateKey() {
        return requestStateKey == null ? null : requestStateKey.clone();
    }

    @Override
    public String toString() {
        return "McpEngineOptions[serverName=" + serverName + ", serverVersion=" + serverVersion + ", pageSize="
                + pageSize + ", callTimeout=" + callTimeout + ", workerThreads=" + workerThreads
                + ", requestStateKey=" + (requestStateKey == null ? "random" : "[REDACTED]") + "]";
    }

    public McpEngineOptions withPageSize(int size) {
        return new McpEngineOptions(serverName, serverVersion, instructions, size, callTimeout, clientRequestTimeout,
                workerThreads, maxQueuedRequests, requestStateKey);
    }

    public McpEngineOptions withCallTimeout(Duration timeout) {
        return new McpEngineOptions(serverName, serverVersion, instructions, pageSize, timeout, clientRequestTimeout,
                workerThreads, maxQueuedRequests, requestStateKey);
    }

    public McpEngineOptions withClientRequestTimeout(Duration timeout) {
        return new McpEngineOptions(serverName, serverVersion, instructions, pageSize, callTimeout, timeout,
                workerThreads, maxQueuedRequests, requestStateKey);
    }
}
