package dev.bastion.security.outbound;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okio.Buffer;

/**
 * The one way providers reach a backend: builds hardened OkHttp clients. Providers obtain it with
 * {@code context.require(OutboundHttp.class)} and call {@link #client(BackendSpec)} once per
 * instance.
 */
public final class OutboundHttp {

    private final Redactor redactor;
    private final String userAgent;
    private final OkHttpClient base;

    public OutboundHttp(Redactor redactor, String serverVersion) {
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.userAgent = "bastion/" + requireNonNull(serverVersion, "serverVersion is null");
        this.base = new OkHttpClient.Builder().build();
    }

    public Redactor redactor() {
        return redactor;
    }

    public String userAgent() {
        return userAgent;
    }

    /** A client for one backend; share it for all calls to that backend. */
    public OkHttpClient client(BackendSpec spec) {
        requireNonNull(spec, "spec is null");
        for (String secret : spec.credentials().secretValues()) {
            redactor.registerSecret(secret);
        }
        return base.newBuilder()
                .connectTimeout(spec.connectTimeout())
                .readTimeout(spec.readTimeout())
                .callTimeout(spec.callTimeout())
                .addInterceptor(chain -> {
                    Request request = chain.request();
                    Request.Builder builder = request.newBuilder().header("User-Agent", userAgent);
                    for (Map.Entry<String, String> header : spec.credentials().headersFor(outgoing(request)).entrySet()) {
                        builder.header(header.getKey(), header.getValue());
                    }
                    return chain.proceed(builder.build());
                })
                .build();
    }

    static OutgoingRequest outgoing(Request request) throws IOException {
        byte[] body = new byte[0];
        if (request.body() != null) {
            Buffer buffer = new Buffer();
            request.body().writeTo(buffer);
            body = buffer.readByteArray();
        }
        Map<String, List<String>> headers = request.headers().toMultimap();
        return new OutgoingRequest(request.method(), request.url().uri(), headers, body);
    }
}
