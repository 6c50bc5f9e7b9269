package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a sandbox checks a request's credential, answering a refusal the way the backend does. It
 * runs before routing, so a request without a valid credential learns nothing about the paths
 * (except for routes declared open). It sees the method, the decoded path segments, the query and
 * the headers; not the body, and no path parameters.
 */
@FunctionalInterface
public interface SandboxAuth {

    /** Why a credential was refused, so the backend's two answers can differ as the real ones do. */
    enum Refusal { MISSING, WRONG }

    /** The response that refuses {@code request}, or empty when it may go on. */
    Optional<SandboxResponse> refuse(SandboxRequest request);

    /** For a backend that takes no credential at all. */
    static SandboxAuth none() {
        return request -> Optional.empty();
    }

    /**
     * One credential in one header, as {@code <scheme> <credential>} (or the bare credential when
     * {@code scheme} is empty), compared in constant time.
     *
     * @param refusal the backend's 401 (body and headers) for a missing and for a wrong credential
     */
    static SandboxAuth header(String header, String scheme, String credential,
                              Function<Refusal, SandboxResponse> refusal) {
        requireNonNull(credential, "credential is null");
        return header(header, scheme, request -> Optional.of(credential), refusal);
    }

    /**
     * Like {@link #header(String, String, String, Function)}, with the expected credential chosen per
     * request (for example by the environment named in the path); empty refuses as wrong.
     */
    static SandboxAuth header(String header, String scheme,
                              Function<SandboxRequest, Optional<String>> expectedCredential,
                              Function<Refusal, SandboxResponse> refusal) {
        requireNonNull(header, "header is null");
        requireNonNull(scheme, "scheme is null");
        requireNonNull(expectedCredential, "expectedCredential is null");
        requireNonNull(refusal, "refusal is null");
        return request -> {
            Optional<String> presented = request.header(header);
            if (presented.isEmpty() || presented.get().isBlank()) {
                return Optional.of(refusal.apply(Refusal.MISSING));
            }
            Optional<String> expected = expectedCredential.apply(request);
            String wanted = expected.map(value -> scheme.isEmpty() ? value : scheme + " " + value).orElse(null);
            if (wanted == null || !MessageDigest.isEqual(wanted.getBytes(StandardCharsets.UTF_8),
                    presented.get().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(refusal.apply(Refusal.WRONG));
            }
            return Optional.empty();
        };
    }
}
