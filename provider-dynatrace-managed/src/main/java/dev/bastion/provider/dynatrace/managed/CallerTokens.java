package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.SettingBinder;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.security.credential.CredentialFormats;
import dev.bastion.security.credential.CallerCredentialCache;
import dev.bastion.security.credential.CallerCredentialCache.CallerCredentialException;
import dev.bastion.toolkit.credentials.HeaderCredentials;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.http.CallCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-caller tokens of one environment, as the official Dynatrace Managed server takes them: the
 * HTTP header {@code X-Dynatrace-Tokens: prod=<token>;staging=<token>}. When a caller sends it, a
 * call to environment {@code prod} uses the caller's {@code prod} token instead of the configured
 * {@code api_token}; without the header the configured token is used. A caller's token is checked
 * once with {@code POST /api/v2/apiTokens/lookup} (authenticated with that token itself) and the
 * outcome, a refusal too, is cached by the token's SHA-256. A header without a token for this
 * environment and a token the environment refuses get the same answer, so a caller cannot tell
 * which environments exist behind the header.
 */
final class CallerTokens {

    static final String HEADER = "X-Dynatrace-Tokens";
    /** More environments than anyone configures; bounds the work a single header can cause. */
    static final int MAX_ENTRIES = 64;
    static final Duration TRUSTED_FOR = Duration.ofMinutes(5);
    static final Duration REFUSED_FOR = Duration.ofMinutes(1);
    static final int MAX_CACHED = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(CallerTokens.class);

    private final String alias;
    private final Redactor redactor;
    private final CallerCredentialCache<CallCredentials> cache;

    CallerTokens(String alias, Redactor redactor, Clock clock) {
        this.alias = requireNonNull(alias, "alias is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.cache = new CallerCredentialCache<>(TRUSTED_FOR, REFUSED_FOR, MAX_CACHED, clock);
    }

    /**
     * The credentials {@code context}'s requests carry: the caller's token for this environment when
     * the caller sent the header, else empty (the configured token).
     *
     * @throws ToolFailure when the header is malformed, names no token for this environment, or its
     *     token is refused
     */
    Optional<CallCredentials> forCall(CallContext context, DynatraceManagedClient client) {
        Optional<Secret> header = context.callerCredential();
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Secret token = parse(header.get().reveal()).get(alias);
        // Only a token of the API token's own shape is looked up: the redactor masks that shape without
        // being told, so a caller cannot plant arbitrary strings in the redactor shared by every user.
        if (token == null || CredentialFormats.DYNATRACE_API_TOKEN.check(HEADER, token.reveal()).isPresent()) {
            throw new ToolFailure(refused());
        }
        try {
            return Optional.of(cache.resolve(token, candidate -> validate(candidate, context, client)));
        } catch (CallerCredentialException e) {
            String refused = refused();
            // Anything but our refusal is the cache saying the lookup itself failed (nothing was cached).
            throw new ToolFailure(e.getMessage().equals(refused) ? refused : "The caller's " + HEADER
                    + " credential for environment " + alias + " could not be checked now (the token lookup"
                    + " failed); retry later.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("The call was cancelled while the caller's " + HEADER + " credential for environment "
                    + alias + " was being checked.");
        }
    }

    private CallCredentials validate(Secret token, CallContext context, DynatraceManagedClient client)
            throws CallerCredentialException {
        CallCredentials own = new CallCredentials(HeaderCredentials.apiToken(token, HEADER),
                "the caller's " + HEADER + " header (its token for environment " + alias + ")");
        ObjectNode body = client.json().createObjectNode();
        body.put("token", token.reveal());
        JsonNode info;
        try {
            info = client.post(body, "apiTokens", "lookup").idempotent().credentials(own).send(context);
        } catch (BackendFailure e) {
            switch (e.kind()) {
                case UNAUTHORIZED, FORBIDDEN, NOT_FOUND -> throw new CallerCredentialException(refused());
                default -> {
                    // Not a verdict on the token (the environment is down, say): nothing is cached.
                    LOG.debug("environment {}: a caller's token could not be checked: {}", alias, e.getMessage());
                    throw e;
                }
            }
        }
        if (info.path("enabled").isBoolean() && !info.path("enabled").asBoolean()) {
            throw new CallerCredentialException(refused());
        }
        // Registered once accepted (its shape is masked before), so refused tokens never grow the redactor.
        redactor.registerSecret(token.reveal());
        return own;
    }

    private String refused() {
        return "The caller's " + HEADER + " credential for environment " + alias + " was refused; send " + alias
                + "=<a valid API token of that environment> in the " + HEADER + " header.";
    }

    /**
     * {@code alias=token} pairs separated by {@code ;}, whitespace around each part ignored. Anything
     * else is refused with the position of the first bad entry, never its text: it may be a token.
     */
    static Map<String, Secret> parse(String header) {
        String[] entries = header.split(";", -1);
        if (entries.length > MAX_ENTRIES) {
            throw malformed("it has more than " + MAX_ENTRIES + " entries");
        }
        Map<String, Secret> tokens = new HashMap<>();
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < entries.length; i++) {
            int position = i + 1;
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                throw malformed("entry " + position + " is empty");
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw malformed("entry " + position + " is not alias=token");
            }
            String alias = entry.substring(0, equals).strip();
            String token = entry.substring(equals + 1).strip();
            if (alias.isEmpty() || token.isEmpty()) {
                throw malformed("entry " + position + " has an empty " + (alias.isEmpty() ? "alias" : "token"));
            }
            if (!SettingBinder.ALIAS.matcher(alias).matches()) {
                throw malformed("the alias of entry " + position + " is not an environment alias (lower-case"
                        + " letters, digits, '-' and '_')");
            }
            if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw malformed("the token of entry " + position + " contains spaces or characters a token"
                        + " cannot have");
            }
            Integer earlier = positions.putIfAbsent(alias, position);
            if (earlier != null) {
                throw malformed("entry " + position + " repeats the alias of entry " + earlier);
            }
            tokens.put(alias, Secret.of(token));
        }
        return Map.copyOf(tokens);
    }

    private static ToolFailure malformed(String problem) {
        return new ToolFailure("The " + HEADER + " header is malformed: " + problem + ". Send alias=token pairs"
                + " separated by ';', such as prod=<token>;staging=<token>.");
    }
}
