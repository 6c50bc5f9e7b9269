package dev.bastion.provider.itential.sandbox;

import dev.bastion.toolkit.sandbox.SandboxCredentials;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the sandbox issued and whom they stand for: login tokens (sent as {@code ?token=})
 * and OAuth access tokens (sent as {@code Authorization: Bearer}), each valid for the token
 * lifetime by the sandbox's clock.
 */
final class SandboxSessions {

    /** Who a token stands for: the local user, or the OAuth client's service account. */
    record Principal(String id, String username, String firstname, boolean serviceAccount) {
    }

    private record Issued(Principal principal, Instant expires) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BEARER = "bearer ";

    private final Clock clock;
    private final Duration lifetime;
    private final Map<String, Issued> loginTokens = new ConcurrentHashMap<>();
    private final Map<String, Issued> accessTokens = new ConcurrentHashMap<>();

    SandboxSessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A login token shaped like the platform's: the base64 of 32 hex digits. */
    String login(Principal principal) {
        String token = Base64.getEncoder().encodeToString(
                SandboxCredentials.random(SandboxCredentials.HEX, 32).getBytes(StandardCharsets.US_ASCII));
        loginTokens.put(token, new Issued(principal, clock.instant().plus(lifetime)));
        return token;
    }

    /** An access token shaped like a JWT (its signature random: the sandbox remembers its tokens). */
    String accessToken(Principal principal) {
        Instant now = clock.instant();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = "{\"sub\":\"" + principal.id() + "\",\"iss\":\"itential-sandbox\",\"iat\":"
                + now.getEpochSecond() + ",\"exp\":" + now.plus(lifetime).getEpochSecond() + "}";
        byte[] signature = new byte[32];
        RANDOM.nextBytes(signature);
        String token = header + "." + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(signature);
        accessTokens.put(token, new Issued(principal, now.plus(lifetime)));
        return token;
    }

    long lifetimeSeconds() {
        return lifetime.toSeconds();
    }

    /** Whom the request's login token or bearer token stands for, when it has one that is still valid. */
    Optional<Principal> principal(SandboxRequest request) {
        Optional<String> token = request.queryParameter("token");
        if (token.isPresent()) {
            return valid(loginTokens.get(token.get()));
        }
        Optional<String> authorization = request.header("Authorization");
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return valid(accessTokens.get(authorization.get().substring(BEARER.length()).trim()));
        }
        return Optional.empty();
    }

    /** Every token issued so far, expired ones included, for masking the request log. */
    List<String> issued() {
        List<String> out = new ArrayList<>(loginTokens.keySet());
        out.addAll(accessTokens.keySet());
        return List.copyOf(out);
    }

    private Optional<Principal> valid(Issued issued) {
        return issued != null && clock.instant().isBefore(issued.expires())
                ? Optional.of(issued.principal()) : Optional.empty();
    }
}
