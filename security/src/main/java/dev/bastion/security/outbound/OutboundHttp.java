package dev.bastion.security.outbound;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.CallContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Authenticator;
import okhttp3.ConnectionSpec;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;

/**
 * The one way providers reach a backend: builds hardened OkHttp clients. Providers obtain it with
 * {@code context.require(OutboundHttp.class)} and call {@link #client(BackendSpec)} once per
 * instance.
 *
 * <p>Every client it builds:
 * <ul>
 *   <li>refuses anything but HTTPS before connecting ({@link InsecureSchemeException}); plain http
 *       only to loopback hosts when {@link BackendSpec#allowInsecureLoopback()} is set; redirects
 *       are re-checked and never followed from https to http;</li>
 *   <li>speaks TLS 1.2 or 1.3 only, verifies certificates and host names (no switch turns that
 *       off), and adds {@link BackendSpec#caFile()} to the JDK's trusted roots;</li>
 *   <li>uses the backend's proxy, else {@code HTTPS_PROXY}/{@code NO_PROXY} from the environment,
 *       with proxy credentials from the proxy URL;</li>
 *   <li>applies connect, read and call timeouts, the backend's credentials (refreshed once on
 *       {@code 401}), {@code User-Agent: bastion/<version>} and the client-side rate limit;</li>
 *   <li>retries idempotent requests (see {@link Idempotent}) on {@code 429}/{@code 503} honouring
 *       {@code Retry-After} within the call timeout;</li>
 *   <li>fails bodies larger than {@link BackendSpec#maxResponseBytes()} with
 *       {@link ResponseTooLargeException};</li>
 *   <li>logs each request at {@code DEBUG} with secrets masked and redacted;</li>
 *   <li>is traced by the {@link BackendTracing} it was given (one client span per request).</li>
 * </ul>
 * Use {@link BackendErrors} to turn failures into messages for the model.
 */
public final class OutboundHttp {

    /** The longest a request waits for a client-side rate-limit permit when the call has no timeout. */
    static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(30);

    private static final ConnectionSpec TLS = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
            .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
            .build();

    /**
     * Sees every request a client is about to send: the contract test proves with it that read-only
     * tools send no writes.
     */
    @FunctionalInterface
    public interface RequestObserver {
        RequestObserver NONE = (backend, method, url, idempotent) -> { };

        /**
         * @param idempotent whether the request carries the {@link Idempotent} tag (a read sent as POST)
         */
        void onRequest(String backend, String method, String url, boolean idempotent);

        /**
         * The headers of the request just seen by {@link #onRequest}, as the provider built it:
         * before the backend credentials and {@code User-Agent} are added. Ignored by default.
         */
        default void onRequestHeaders(String backend, okhttp3.Headers headers) {
        }

        /**
         * The final status of a request seen by {@link #onRequest}, after retries and redirects; the
         * contract test proves with it that read-only tools' requests succeed. Ignored by default.
         */
        default void onResponse(String backend, String method, String url, int status) {
        }

        /**
         * A request seen by {@link #onRequest} that got no response: refused, timed out or
         * cancelled. Ignored by default.
         */
        default void onFailure(String backend, String method, String url, IOException failure) {
        }
    }

    private final Redactor redactor;
    private final String userAgent;
    private final Map<String, String> environment;
    private final RequestObserver observer;
    private final BackendTracing tracing;
    /** One dispatcher and connection pool for all backends; built with the first client. */
    private OkHttpClient base;

    /** Reads proxy settings from the process environment. */
    public OutboundHttp(Redactor redactor, String serverVersion) {
        this(redactor, serverVersion, System.getenv());
    }

    /**
     * Reads proxy settings ({@code HTTPS_PROXY}, {@code https_proxy}, {@code NO_PROXY},
     * {@code no_proxy}) from {@code environment} instead of the process environment.
     */
    public OutboundHttp(Redactor redactor, String serverVersion, Map<String, String> environment) {
        this(redactor, serverVersion, environment, RequestObserver.NONE);
    }

    /** As above, and tells {@code observer} about every request before it is sent. */
    public OutboundHttp(Redactor redactor, String serverVersion, Map<String, String> environment,
                        RequestObserver observer) {
        this(redactor, serverVersion, environment, observer, BackendTracing.NONE);
    }

    /** As above, and traces every request with {@code tracing}. */
    public OutboundHttp(Redactor redactor, String serverVersion, Map<String, String> environment,
                        RequestObserver observer, BackendTracing tracing) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.observer = requireNonNull(observer, "observer is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.userAgent = "bastion/" + requireNonNull(serverVersion, "serverVersion is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    public Redactor redactor() {
        return redactor;
    }

    public String userAgent() {
        return userAgent;
    }

    /**
     * A client for one backend; share it for all calls to that backend.
     *
     * @throws dev.bastion.core.spi.ProviderConfigException when the CA file or the proxy setting
     *     cannot be used; the message names the setting and never contains a secret
     */
    public OkHttpClient client(BackendSpec spec) {
        return prepare(spec).build();
    }

    /**
     * As {@link #client(BackendSpec)}, but the client is built on the first {@code get()} (once; the
     * supplier is thread-safe). Building a client sets up TLS, which loads the JDK's trusted roots:
     * a provider that creates its clients in {@code create()} and uses them only in tool calls keeps
     * that work out of the server's start-up this way. Everything {@link #client(BackendSpec)} would
     * reject (the CA file, the proxy setting) is checked now, so configuration errors are still
     * reported at start-up, and the credentials' secrets are registered with the redactor now.
     *
     * @throws dev.bastion.core.spi.ProviderConfigException as {@link #client(BackendSpec)}
     */
    public Supplier<OkHttpClient> lazyClient(BackendSpec spec) {
        PreparedClient prepared = prepare(spec);
        return new Supplier<>() {
            private OkHttpClient client;

            @Override
            public synchronized OkHttpClient get() {
                if (client == null) {
                    client = prepared.build();
                }
                return client;
            }
        };
    }

    /** Checks {@code spec} and registers its secrets; building the client is left to the caller. */
    private PreparedClient prepare(BackendSpec spec) {
        requireNonNull(spec, "spec is null");
        for (String secret : spec.credentials().secretValues()) {
            redactor.registerSecret(secret);
        }
        BackendProxySelector proxySelector = spec.proxyUrl()
                .map(uri -> BackendProxySelector.explicit(ProxyEndpoint.parse(uri, "proxy")))
                .orElseGet(() -> BackendProxySelector.fromEnvironment(environment));
        Authenticator proxyAuthenticator = proxyAuthenticator(proxySelector);
        List<X509Certificate> caCertificates = spec.ca().map(TrustedCertificates::readPem).orElse(List.of());
        return new PreparedClient(spec, proxySelector, proxyAuthenticator, caCertificates);
    }

    private synchronized OkHttpClient base() {
        if (base == null) {
            base = new OkHttpClient.Builder().build();
        }
        return base;
    }

    /** A checked backend spec, ready to become a client. */
    private final class PreparedClient {
        private final BackendSpec spec;
        private final BackendProxySelector proxySelector;
        private final Authenticator proxyAuthenticator;
        private final List<X509Certificate> caCertificates;

        PreparedClient(BackendSpec spec, BackendProxySelector proxySelector, Authenticator proxyAuthenticator,
                       List<X509Certificate> caCertificates) {
            this.spec = spec;
            this.proxySelector = proxySelector;
            this.proxyAuthenticator = proxyAuthenticator;
            this.caCertificates = caCertificates;
        }

        OkHttpClient build() {
            HttpsOnlyInterceptor httpsOnly = new HttpsOnlyInterceptor(spec.allowInsecureLoopback(),
                    spec.linkLocalOrigin());
            boolean cleartext = spec.allowInsecureLoopback() || spec.linkLocalOrigin() != null;
            OkHttpClient.Builder builder = base().newBuilder()
                    .connectTimeout(spec.connectTimeout())
                    .readTimeout(spec.readTimeout())
                    // Request bodies are small queries; the same silence limit applies to writing.
                    .writeTimeout(spec.readTimeout())
                    .callTimeout(spec.callTimeout())
                    .connectionSpecs(cleartext ? List.of(TLS, ConnectionSpec.CLEARTEXT) : List.of(TLS))
                    .followRedirects(true)
                    .followSslRedirects(false)
                    .proxySelector(proxySelector)
                    .proxyAuthenticator(proxyAuthenticator)
                    .authenticator(new CredentialRefreshAuthenticator(spec.name(), spec.credentials()));
            builder.interceptors().clear();
            builder.networkInterceptors().clear();
            // The order is the design: the trace span first, so it covers retries and their waits;
            // refuse insecure targets before anything else; retry around whole attempts; cap every
            // attempt's body; take a rate-limit permit per attempt; then credentials afresh per
            // attempt (time-bound signatures) and the log of what was sent.
            okhttp3.Interceptor traced = tracing.interceptor(spec.name(), spec.propagateTraceContext());
            if (traced != null) {
                builder.addInterceptor(traced);
            }
            builder.addInterceptor(chain -> {
                        okhttp3.Request request = chain.request();
                        String url = request.url().toString();
                        observer.onRequest(spec.name(), request.method(), url, Idempotent.isIdempotent(request));
                        observer.onRequestHeaders(spec.name(), request.headers());
                        Response response;
                        try {
                            response = chain.proceed(request);
                        } catch (IOException e) {
                            observer.onFailure(spec.name(), request.method(), url, e);
                            throw e;
                        }
                        observer.onResponse(spec.name(), request.method(), url, response.code());
                        return response;
                    })
                    .addInterceptor(httpsOnly)
                    .addInterceptor(new BusyRetryInterceptor(spec.name()))
                    .addInterceptor(new ResponseLimitInterceptor(spec.name(), spec.maxResponseBytes()));
            if (spec.maxRequestsPerSecond() > 0) {
                builder.addInterceptor(new RateLimitInterceptor(spec.name(), spec.maxRequestsPerSecond(),
                        rateLimitWait(spec.callTimeout())));
            }
            builder.addInterceptor(new CredentialsInterceptor(spec.credentials(), userAgent))
                    .addInterceptor(new RequestLogInterceptor(spec.name(), redactor))
                    .addNetworkInterceptor(new NetworkHopInterceptor(httpsOnly));
            spec.ca().ifPresent(caFile -> {
                TrustedCertificates trust = TrustedCertificates.trusting(caFile, caCertificates);
                builder.sslSocketFactory(trust.socketFactory(), trust.trustManager());
            });
            return builder.build();
        }
    }

    /**
     * Runs {@code request} as part of a tool call: the call is cancelled when the tool call is
     * (client cancellation or deadline), and its timeout is shortened to the tool call's remaining
     * time when that is sooner than the client's call timeout, so retries and their waits never
     * outlive the tool call.
     *
     * @throws IOException as {@link okhttp3.Call#execute()}; {@code "Canceled"} when the tool call
     *     was already cancelled
     */
    public static Response execute(OkHttpClient client, Request request, CallContext context) throws IOException {
        requireNonNull(client, "client is null");
        requireNonNull(request, "request is null");
        requireNonNull(context, "context is null");
        Call call = client.newCall(request);
        long remainingMillis = Math.max(1, context.remaining().toMillis());
        long callTimeoutMillis = client.callTimeoutMillis();
        if (callTimeoutMillis == 0 || remainingMillis < callTimeoutMillis) {
            call.timeout().timeout(remainingMillis, TimeUnit.MILLISECONDS);
        }
        context.onCancel(call::cancel);
        return call.execute();
    }

    /**
     * Whether {@code host} is a loopback literal ({@code localhost}, {@code 127.0.0.0/8},
     * {@code ::1}), the only hosts plain http may reach when a backend allows insecure loopback.
     * Names are never resolved.
     */
    public static boolean isLoopbackHost(String host) {
        return HttpsOnlyInterceptor.isLoopback(requireNonNull(host, "host is null"));
    }

    /**
     * Whether {@code host} is a link-local literal ({@code 169.254.0.0/16}, {@code fe80::/10}), where
     * cloud instance metadata services listen; see {@link BackendSpec#linkLocalOrigin()}. Names are
     * never resolved.
     */
    public static boolean isLinkLocalHost(String host) {
        return HttpsOnlyInterceptor.isLinkLocal(requireNonNull(host, "host is null"));
    }

    private static Duration rateLimitWait(Duration callTimeout) {
        return callTimeout.isZero() || callTimeout.compareTo(MAX_RATE_LIMIT_WAIT) > 0 ? MAX_RATE_LIMIT_WAIT
                : callTimeout;
    }

    private Authenticator proxyAuthenticator(BackendProxySelector selector) {
        ProxyEndpoint proxy = selector.proxy().orElse(null);
        if (proxy == null || proxy.username() == null) {
            return Authenticator.NONE;
        }
        String basic = Credentials.basic(proxy.username(), proxy.password(), StandardCharsets.UTF_8);
        if (!proxy.password().isEmpty()) {
            redactor.registerSecret(proxy.password());
        }
        redactor.registerSecret(basic.substring("Basic ".length()));
        return (route, response) -> {
            if (route != null && route.proxy().type() != java.net.Proxy.Type.HTTP) {
                return null;
            }
            if (response.request().header("Proxy-Authorization") != null) {
                // The proxy refused these credentials already; asking again would loop.
                return null;
            }
            return response.request().newBuilder().header("Proxy-Authorization", basic).build();
        };
    }
}
