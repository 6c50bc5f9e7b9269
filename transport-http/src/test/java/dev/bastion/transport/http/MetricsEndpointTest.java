package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.mcp.McpEngine;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics as a scraper sees it, after requests that try to choose its label values. */
class MetricsEndpointTest {

    private final McpEngine engine = HttpFixture.engine();
    private HttpTransport transport;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        engine.close();
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpFixture.send(HttpRequest.newBuilder(HttpFixture.uri(transport, "/metrics"))
                .GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    @Timeout(120)
    void twentyThousandInventedMethodsLeaveTheSeriesCountAndTheScrapeSizeBounded() throws Exception {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults());
        HttpFixture.send(HttpRequest.newBuilder(HttpFixture.uri(transport, "/healthz")).GET().build());
        int before = scrape().length();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicInteger resent = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<CompletableFuture<Void>> batches = new ArrayList<>();
            for (int batch = 0; batch < 4; batch++) {
                int first = batch * 5_000;
                batches.add(CompletableFuture.runAsync(() -> {
                    for (int i = first; i < first + 5_000; i++) {
                        String path = i % 2 == 0 ? "/mcp" : "/nowhere-" + i;
                        HttpRequest request = HttpRequest.newBuilder(HttpFixture.uri(transport, path))
                                .method("INVENTED" + i, HttpRequest.BodyPublishers.noBody()).build();
                        // A kept-alive connection the server closed as idle just as the client reused it
                        // fails with "received no bytes"; the client does not retry invented methods, so
                        // the test sends again (it counts labels, not connection reuse).
                        for (int attempt = 1; ; attempt++) {
                            try {
                                HttpFixture.send(request);
                                break;
                            } catch (java.io.IOException e) {
                                if (attempt == 3) {
                                    throw new AssertionError("request " + i + " failed", e);
                                }
                                resent.incrementAndGet();
                            } catch (Exception e) {
                                throw new AssertionError("request " + i + " failed", e);
                            }
                        }
                    }
                }, senders));
            }
            CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).join();
        } finally {
            senders.shutdownNow();
        }
        String after = scrape();
        List<String> requestSeries = after.lines().filter(line -> line.startsWith("bastion_http_requests_total{"))
                .toList();
        // Each series counts its 10,000 requests (a resent one may have been counted before its connection closed).
        for (String series : List.of("bastion_http_requests_total{endpoint=\"mcp\",method=\"other\",status=\"405\"} ",
                "bastion_http_requests_total{endpoint=\"other\",method=\"other\",status=\"404\"} ")) {
            String line = requestSeries.stream().filter(l -> l.startsWith(series)).findFirst().orElseThrow(
                    () -> new AssertionError("no series " + series));
            assertThat(Double.parseDouble(line.substring(series.length()))).as(line)
                    .isBetween(10_000.0, 10_000.0 + resent.get());
        }
        assertThat(requestSeries).hasSizeLessThan(10);
        assertThat(after).doesNotContain("INVENTED", "nowhere");
        assertThat(after.length()).as("/metrics bytes after 20,000 invented methods").isLessThan(before + 4096);
    }
}
