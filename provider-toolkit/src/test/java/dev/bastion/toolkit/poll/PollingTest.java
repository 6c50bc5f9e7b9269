package dev.bastion.toolkit.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.tool.CallContext;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.Idempotent;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Polling a Grail-like query API: {@code query:execute}, {@code query:poll}, {@code query:cancel}. */
class PollingTest {

    private static final String REQUEST_TOKEN = "tok/1+=";
    private static final String BASE = "/platform/storage/query/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<MockResponse> polls = new ConcurrentLinkedQueue<>();
    private final List<Long> pollTimes = new CopyOnWriteArrayList<>();
    private final List<String> pollTokens = new CopyOnWriteArrayList<>();
    private final List<String> cancelTokens = new CopyOnWriteArrayList<>();
    private volatile MockResponse execute = json(202, "{\"state\":\"RUNNING\",\"requestToken\":\"" + REQUEST_TOKEN
            + "\",\"ttlSeconds\":399}");
    private volatile MockResponse running = json(200, "{\"state\":\"RUNNING\",\"ttlSeconds\":399}");
    private volatile MockResponse cancelAnswer = new MockResponse().setResponseCode(202);
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                if (path.endsWith("query:execute")) {
                    return execute;
                }
                if (path.endsWith("query:poll")) {
                    pollTimes.add(System.nanoTime());
                    pollTokens.add(request.getRequestUrl().queryParameter("request-token"));
                    MockResponse next = polls.poll();
                    return next == null ? running : next;
                }
                if (path.endsWith("query:cancel")) {
                    cancelTokens.add(request.getRequestUrl().queryParameter("request-token"));
                    return cancelAnswer;
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        server.start();
        client = new OutboundHttp(new SecretRedactor(), "test", Map.of()).client(BackendSpec.builder("dt-platform/prod")
                .allowInsecureLoopback(true).callTimeout(Duration.ofSeconds(30)).build());
    }

    @AfterEach
    void stop() throws IOException {
        timer.shutdownNow();
        server.shutdown();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static MockResponse state(String state, int progress) {
        return json(200, "{\"state\":\"" + state + "\",\"progress\":" + progress + ",\"ttlSeconds\":399}");
    }

    private static MockResponse succeeded(String records) {
        return json(200, "{\"state\":\"SUCCEEDED\",\"progress\":100,\"result\":{\"records\":" + records + "}}");
    }

    // What a Grail provider writes: the HTTP calls and the state mapping, nothing about waiting.

    private JsonNode send(Request request, CallContext context) throws IOException {
        try (Response response = OutboundHttp.execute(client, request, context)) {
            if (!response.isSuccessful()) {
                throw new IOException("the query API answered " + response.code());
            }
            String body = response.body() == null ? "" : response.body().string();
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        }
    }

    private HttpUrl url(String operation) {
        return server.url(BASE + operation);
    }

    private PollStep<String, JsonNode> step(JsonNode answer, String token) throws IOException {
        String state = answer.path("state").asText();
        switch (state) {
            case "SUCCEEDED":
                return PollStep.done(answer.path("result"));
            case "RUNNING":
            case "NOT_STARTED":
                Double percent = answer.hasNonNull("progress") ? answer.get("progress").asDouble() : null;
                return PollStep.running(answer.path("requestToken").asText(token), percent, state);
            default:
                throw new IOException("the query ended in state " + state);
        }
    }

    private Polling.Builder<String, JsonNode> grail() {
        return Polling.<String, JsonNode>builder("DQL query",
                        (token, context) -> step(send(new Request.Builder()
                                .url(url("query:poll").newBuilder().addQueryParameter("request-token", token).build())
                                .build(), context), token),
                        (token, cleanup) -> send(new Request.Builder()
                                .url(url("query:cancel").newBuilder().addQueryParameter("request-token", token).build())
                                .post(RequestBody.create(new byte[0], null)).build(), cleanup))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .timeoutHint("narrow the timeframe or add a limit");
    }

    private PollResult<JsonNode> run(Polling<String, JsonNode> polling, CallContext context) throws IOException {
        return polling.run(context, ctx -> step(send(Idempotent.mark(new Request.Builder().url(url("query:execute"))
                .post(RequestBody.create("{\"query\":\"fetch logs\"}", MediaType.get("application/json"))))
                .build(), ctx), null));
    }

    @Test
    void pollsUntilTheJobSucceedsAndReportsTheBackendsProgress() throws Exception {
        execute = json(202, "{\"state\":\"RUNNING\",\"progress\":0,\"requestToken\":\"" + REQUEST_TOKEN + "\"}");
        polls.add(state("RUNNING", 10));
        polls.add(state("RUNNING", 55));
        polls.add(succeeded("[{\"content\":\"GET /api 500\"}]"));
        RecordingCallContext context = new RecordingCallContext(Duration.ofSeconds(10));

        PollResult<JsonNode> result = run(grail().build(), context);

        assertThat(result).isInstanceOf(PollResult.Finished.class);
        assertThat(result.result()).get().extracting(node -> node.at("/records/0/content").asText())
                .isEqualTo("GET /api 500");
        assertThat(result.polls()).isEqualTo(3);
        assertThat(pollTokens).containsOnly(REQUEST_TOKEN);
        assertThat(context.notifications()).extracting(RecordingCallContext.Notification::progress)
                .containsExactly(0.0, 10.0, 55.0, 100.0);
        assertThat(context.notifications()).allSatisfy(n -> assertThat(n.total()).isEqualTo(100.0));
        assertThat(context.notifications().get(0).message()).startsWith("DQL query: RUNNING (");
        assertThat(cancelTokens).isEmpty();
    }

    @Test
    void withoutBackendProgressItReportsThePollsSoFar() throws Exception {
        polls.add(json(200, "{\"state\":\"RUNNING\"}"));
        polls.add(json(200, "{\"state\":\"RUNNING\"}"));
        polls.add(succeeded("[]"));
        RecordingCallContext context = new RecordingCallContext(Duration.ofSeconds(10));

        run(grail().build(), context);

        assertThat(context.notifications()).extracting(RecordingCallContext.Notification::progress)
                .containsExactly(0.0, 1.0, 2.0);
        assertThat(context.notifications()).allSatisfy(n -> assertThat(n.total()).isNull());
    }

    @Test
    void aJobThatIsDoneAtOnceIsNotPolled() throws Exception {
        execute = succeeded("[{\"n\":1}]");

        PollResult<JsonNode> result = run(grail().build(), new RecordingCallContext(Duration.ofSeconds(10)));

        assertThat(result.result()).get().extracting(node -> node.at("/records/0/n").asInt()).isEqualTo(1);
        assertThat(result.polls()).isZero();
        assertThat(pollTimes).isEmpty();
    }

    @Test
    void theDeadlineEndsPollingInTimeAndCancelsTheJob() throws Exception {
        RecordingCallContext context = new RecordingCallContext(Duration.ofMillis(1500));
        long started = System.nanoTime();

        PollResult<JsonNode> result = run(grail().build(), context);

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result).isInstanceOf(PollResult.TimedOut.class);
        PollResult.TimedOut<JsonNode> timedOut = (PollResult.TimedOut<JsonNode>) result;
        assertThat(timedOut.message()).startsWith("The DQL query did not finish within ")
                .endsWith(" and was cancelled; narrow the timeframe or add a limit");
        assertThat(timedOut.backendCancelled()).isTrue();
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
        // Stopped before the deadline, with the reserve left for the cancel request and the answer.
        assertThat(took).isLessThan(Duration.ofMillis(1500)).isGreaterThan(Duration.ofMillis(1000));
        assertThat(result.polls()).isGreaterThan(3);
    }

    @Test
    void aJobTheBackendCannotStopIsSaidToGoOnAndNoCancelIsSent() throws Exception {
        Polling<String, JsonNode> restart = Polling.<String, JsonNode>builder("adapter restart",
                        (token, context) -> step(send(new Request.Builder()
                                .url(url("query:poll").newBuilder().addQueryParameter("request-token", token).build())
                                .build(), context), token), Polling.Cancel.impossible())
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).timeoutHint("look again later").build();

        PollResult<JsonNode> result = run(restart, new RecordingCallContext(Duration.ofMillis(1500)));

        assertThat(result).isInstanceOf(PollResult.TimedOut.class);
        assertThat(((PollResult.TimedOut<JsonNode>) result).message()).startsWith("The adapter restart did not finish"
                + " within ").endsWith("; the backend cannot stop it, so it goes on there; look again later");
        assertThat(((PollResult.TimedOut<JsonNode>) result).backendCancelled()).isFalse();
        assertThat(cancelTokens).isEmpty();
    }

    @Test
    void aJobLimitShorterThanTheDeadlineEndsPollingFirst() throws Exception {
        PollResult<JsonNode> result = run(grail().maxWait(Duration.ofMillis(300)).build(),
                new RecordingCallContext(Duration.ofSeconds(20)));

        assertThat(result).isInstanceOf(PollResult.TimedOut.class);
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(2));
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
    }

    @Test
    void cancellingTheCallWakesTheWaitAndCancelsTheJob() throws Exception {
        RecordingCallContext context = new RecordingCallContext(Duration.ofSeconds(30));
        timer.schedule(() -> context.cancel("the client cancelled"), 300, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();

        PollResult<JsonNode> result = run(grail().backoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).build(),
                context);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(result).isInstanceOf(PollResult.Cancelled.class);
        assertThat(((PollResult.Cancelled<JsonNode>) result).message())
                .isEqualTo("The DQL query was cancelled and stopped on the backend");
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
        assertThat(pollTimes).isEmpty();
    }

    @Test
    void cancellingTheCallDuringAPollAbortsThatRequestAndCancelsTheJob() throws Exception {
        // The poll request hangs until the client gives up on it.
        running = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        RecordingCallContext context = new RecordingCallContext(Duration.ofSeconds(30));
        timer.schedule(() -> context.cancel("the client cancelled"), 400, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();

        PollResult<JsonNode> result = run(grail().build(), context);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(result).isInstanceOf(PollResult.Cancelled.class);
        assertThat(((PollResult.Cancelled<JsonNode>) result).backendCancelled()).isTrue();
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
    }

    @Test
    void aCallCancelledByItsDeadlineIsATimeoutNotACancellation() throws Exception {
        RecordingCallContext context = new RecordingCallContext(Duration.ofMillis(500));
        // The engine's deadline stage cancels the call when the deadline passes.
        timer.schedule(() -> context.cancel("deadline"), 500, TimeUnit.MILLISECONDS);
        running = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);

        PollResult<JsonNode> result = run(grail().reserve(Duration.ZERO).build(), context);

        assertThat(result).isInstanceOf(PollResult.TimedOut.class);
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
    }

    @Test
    void aPollTheOutboundClientTimesOutAtTheDeadlineIsATimeoutNotAFailure() throws Exception {
        // No one cancels this context: only the outbound client's deadline-shortened timeout fires.
        RecordingCallContext context = new RecordingCallContext(Duration.ofMillis(600));
        running = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);

        PollResult<JsonNode> result = run(grail().reserve(Duration.ZERO).build(), context);

        assertThat(result).isInstanceOf(PollResult.TimedOut.class);
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
    }

    @Test
    void anAlreadyCancelledCallStartsNothing() throws Exception {
        RecordingCallContext context = new RecordingCallContext(Duration.ofSeconds(10));
        context.cancel("the client cancelled");

        PollResult<JsonNode> result = run(grail().build(), context);

        assertThat(result).isInstanceOf(PollResult.Cancelled.class);
        assertThat(((PollResult.Cancelled<JsonNode>) result).message()).isEqualTo("The DQL query was cancelled");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aCallWithNoTimeLeftStartsNothing() throws Exception {
        RecordingCallContext context = new RecordingCallContext(Duration.ZERO);

        PollResult<JsonNode> result = run(grail().build(), context);

        assertThat(result).isInstanceOf(PollResult.TimedOut.class);
        assertThat(((PollResult.TimedOut<JsonNode>) result).message()).startsWith("The DQL query did not finish within ")
                .endsWith("; narrow the timeframe or add a limit");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aLongBackendStatusIsClippedInTheProgressMessage() throws Exception {
        polls.add(json(200, "{\"state\":\"RUNNING\",\"progress\":5}"));
        polls.add(succeeded("[]"));
        String status = "x".repeat(500);
        Polling<String, JsonNode> polling = Polling.<String, JsonNode>builder("Itential job",
                (id, ctx) -> PollStep.done(JSON.createObjectNode()), (id, ctx) -> { })
                .backoff(Duration.ofMillis(10), Duration.ofMillis(10)).build();
        RecordingCallContext context = new RecordingCallContext(Duration.ofSeconds(10));

        polling.run(context, ctx -> PollStep.running("job-1", 5.0, status));

        assertThat(context.notifications().get(0).message()).startsWith("Itential job: xxx").hasSizeLessThan(150);
    }

    @Test
    void theWaitBetweenPollsGrowsAndStaysBounded() throws Exception {
        for (int i = 0; i < 7; i++) {
            polls.add(json(200, "{\"state\":\"RUNNING\"}"));
        }
        polls.add(succeeded("[]"));

        run(grail().backoff(Duration.ofMillis(40), Duration.ofMillis(160)).build(),
                new RecordingCallContext(Duration.ofSeconds(20)));

        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < pollTimes.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(pollTimes.get(i) - pollTimes.get(i - 1)));
        }
        // Waits of 80, 160, 160, ... ms after the first 40 ms: growing, then capped. Unbounded
        // doubling would make the later gaps 320, 640, 1280, 2560 and 5120 ms.
        assertThat(gaps).hasSize(7);
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(70L);
        assertThat(gaps.subList(2, gaps.size())).allSatisfy(gap -> assertThat(gap).isBetween(150L, 1000L));
    }

    @Test
    void aFailedPollIsRethrownAfterTheJobIsCancelled() {
        polls.add(state("RUNNING", 5));
        polls.add(json(500, "{\"error\":{\"message\":\"boom\"}}"));

        assertThatThrownBy(() -> run(grail().build(), new RecordingCallContext(Duration.ofSeconds(10))))
                .isInstanceOf(IOException.class).hasMessage("the query API answered 500");
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
    }

    @Test
    void aJobTheBackendFailedIsRethrown() {
        polls.add(json(200, "{\"state\":\"FAILED\"}"));

        assertThatThrownBy(() -> run(grail().build(), new RecordingCallContext(Duration.ofSeconds(10))))
                .isInstanceOf(IOException.class).hasMessage("the query ended in state FAILED");
    }

    @Test
    void aFailedStartIsRethrownWithNothingToCancel() {
        execute = json(400, "{\"error\":{\"message\":\"UNKNOWN_COMMAND\"}}");

        assertThatThrownBy(() -> run(grail().build(), new RecordingCallContext(Duration.ofSeconds(10))))
                .isInstanceOf(IOException.class).hasMessage("the query API answered 400");
        assertThat(cancelTokens).isEmpty();
    }

    @Test
    void aRefusedCancelSaysTheJobMayStillRun() throws Exception {
        cancelAnswer = json(500, "{}");

        PollResult<JsonNode> result = run(grail().maxWait(Duration.ofMillis(200)).build(),
                new RecordingCallContext(Duration.ofSeconds(10)));

        PollResult.TimedOut<JsonNode> timedOut = (PollResult.TimedOut<JsonNode>) result;
        assertThat(timedOut.backendCancelled()).isFalse();
        assertThat(timedOut.message()).contains("cancelling it on the backend failed, so it may still run there")
                .endsWith("; narrow the timeframe or add a limit");
        assertThat(cancelTokens).containsExactly(REQUEST_TOKEN);
    }

    @Test
    void refusesABackoffThatIsNotBounded() {
        assertThatThrownBy(() -> grail().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be shorter");
        assertThatThrownBy(() -> grail().backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }
}
