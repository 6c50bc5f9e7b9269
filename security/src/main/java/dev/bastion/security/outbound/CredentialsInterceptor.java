package dev.bastion.security.outbound;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Sets {@code User-Agent} and applies the backend's credentials to every attempt, retries
 * included, so time-bound signatures are computed afresh each time; a request tagged with
 * {@link RequestCredentials} gets those instead. The names of the headers the
 * credentials set travel with the request as a tag, so the request log masks them and a refresh
 * after {@code 401} replaces them.
 */
final class CredentialsInterceptor implements Interceptor {

    private final BackendCredentials credentials;
    private final String userAgent;

    CredentialsInterceptor(BackendCredentials credentials, String userAgent) {
        this.credentials = credentials;
        this.userAgent = userAgent;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request().newBuilder().header("User-Agent", userAgent).build();
        return chain.proceed(apply(RequestCredentials.of(request, credentials), request));
    }

    /** {@code request} with the credentials' headers set, replacing any it set before. */
    static Request apply(BackendCredentials credentials, Request request) throws IOException {
        Request.Builder builder = request.newBuilder();
        CredentialHeaders previous = request.tag(CredentialHeaders.class);
        if (previous != null) {
            previous.names().forEach(builder::removeHeader);
        }
        Request bare = builder.build();
        Map<String, String> headers = credentials.headersFor(outgoing(bare));
        Request.Builder signed = bare.newBuilder();
        headers.forEach(signed::header);
        return signed.tag(CredentialHeaders.class, new CredentialHeaders(Set.copyOf(headers.keySet()), bare.url()))
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

    /**
     * The header names the credentials set on a request, and the URL they were computed for.
     * Credentials belong to that URL's origin (scheme, host, port) only.
     */
    record CredentialHeaders(Set<String> names, HttpUrl url) {

        boolean sameOrigin(HttpUrl other) {
            return url.scheme().equals(other.scheme()) && url.host().equals(other.host()) && url.port() == other.port();
        }
    }
}
