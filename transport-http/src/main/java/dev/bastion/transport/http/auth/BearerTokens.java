package dev.bastion.transport.http.auth;

import dev.bastion.core.auth.AuthRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the bearer token of a request: only from {@code Authorization: Bearer}, never the query string. */
final class BearerTokens {

    /** RFC 6750 b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    static final int MAX_TOKEN_LENGTH = 8192;

    /** What the Authorization header held. */
    sealed interface Presented permits Missing, Malformed, Token {
    }

    record Missing() implements Presented {
    }

    record Malformed(String why) implements Presented {
    }

    record Token(String value) implements Presented {
        @Override
        public String toString() {
            return "Token[REDACTED]";
        }
    }

    private BearerTokens() {
    }

    static Presented read(AuthRequest request) {
        Optional<String> header = request.header("authorization");
        if (header.isEmpty()) {
            return new Missing();
        }
        if (request.headers().get("authorization").size() > 1) {
            return new Malformed("send one Authorization header");
        }
        String value = header.get().strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return new Malformed("the Authorization header must use the Bearer scheme");
        }
        String token = value.substring("bearer ".length()).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !B64TOKEN.matcher(token).matches()) {
            return new Malformed("the bearer token is malformed");
        }
        return new Token(token);
    }
}
