package dev.bastion.app.runtime;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.security.outbound.BackendErrors;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The {@code bastion check} self test of one provider instance: DNS, TCP and TLS to the backend URL
 * from its configuration, then the provider's own health check (authentication and one read call).
 */
public final class SelfTest {

    /** One step and how it went; {@code detail} carries no secret. */
    public record Step(String name, Status status, String detail) {
        public Step {
            requireNonNull(name, "name is null");
            requireNonNull(status, "status is null");
            requireNonNull(detail, "detail is null");
        }
    }

    public enum Status { OK, FAILED, SKIPPED }

    /** All steps of one instance. */
    public record Report(String instance, List<Step> steps) {
        public boolean ok() {
            return steps.stream().noneMatch(step -> step.status() == Status.FAILED);
        }
    }

    private final OutboundHttp outbound;
    private final Redactor redactor;
    private final Duration timeout;

    public SelfTest(OutboundHttp outbound, Redactor redactor, Duration timeout) {
        this.outbound = requireNonNull(outbound, "outbound is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    public Report run(ProviderInstances.Entry entry) {
        String name = entry.instance().providerId() + "/" + entry.instance().alias();
        List<Step> steps = new ArrayList<>();
        Optional<URI> endpoint = endpoint(entry.config());
        if (endpoint.isEmpty()) {
            steps.add(new Step("network", Status.SKIPPED, "no backend URL in this instance's configuration"));
        } else {
            network(entry.config(), endpoint.get(), steps);
        }
        if (steps.stream().anyMatch(step -> step.status() == Status.FAILED)) {
            steps.add(new Step("health", Status.SKIPPED, "the backend is not reachable"));
        } else {
            steps.add(health(entry));
        }
        return new Report(name, steps);
    }

    private static Optional<URI> endpoint(ProviderConfig config) {
        return config.values().values().stream()
                .filter(URI.class::isInstance).map(URI.class::cast)
                .filter(uri -> uri.getHost() != null)
                .findFirst();
    }

    private void network(ProviderConfig config, URI endpoint, List<Step> steps) {
        String host = endpoint.getHost();
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            steps.add(new Step("dns", Status.OK, host + " resolves to " + addresses.length + " address(es)"));
        } catch (UnknownHostException e) {
            steps.add(new Step("dns", Status.FAILED, host + " does not resolve; check the URL or your DNS"));
            return;
        }
        if (config.url("proxy").isPresent()) {
            steps.add(new Step("tcp", Status.SKIPPED, "connections go through the configured proxy"));
        } else {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                steps.add(new Step("tcp", Status.OK, "connected to " + host + ":" + port));
            } catch (IOException e) {
                steps.add(new Step("tcp", Status.FAILED, "cannot connect to " + host + ":" + port + " within "
                        + timeout.toSeconds() + " s (firewall, proxy or wrong port?)"));
                return;
            }
        }
        if (!https) {
            steps.add(new Step("tls", Status.SKIPPED, "plain http, allowed only to a loopback sandbox"));
            return;
        }
        BackendSpec.Builder spec = BackendSpec.builder("check " + host).connectTimeout(timeout).readTimeout(timeout)
                .callTimeout(timeout.multipliedBy(2));
        config.path("ca_file").ifPresent(spec::caFile);
        config.url("proxy").ifPresent(spec::proxy);
        OkHttpClient client = outbound.client(spec.build());
        Request request = new Request.Builder().url(endpoint.resolve("/").toString()).head().build();
        try (Response response = client.newCall(request).execute()) {
            String protocol = response.handshake() == null ? "TLS" : response.handshake().tlsVersion().javaName();
            steps.add(new Step("tls", Status.OK, protocol + " handshake with a trusted certificate for " + host));
        } catch (IOException e) {
            steps.add(new Step("tls", Status.FAILED, redactor.redact(BackendErrors.describe(e, host))));
        }
    }

    private Step health(ProviderInstances.Entry entry) {
        try {
            HealthStatus status = entry.instance().provider().health(BackgroundCall.within(timeout));
            return new Step("auth and read", status.healthy() ? Status.OK : Status.FAILED,
                    redactor.redact(status.detail()));
        } catch (RuntimeException e) {
            return new Step("auth and read", Status.FAILED, "the health check failed: "
                    + redactor.redact(String.valueOf(e.getMessage())));
        }
    }
}
