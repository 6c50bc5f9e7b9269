package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.toolkit.credentials.CredentialException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The signing key of a session profile (what {@code oci session authenticate} writes): keyId
 * {@code ST$<token>} with the session's private key. The token file is read again whenever it
 * changes, so {@code oci session refresh} takes effect without a restart; an expired token is
 * refused before a request is sent, with the command that renews it.
 */
public final class SessionTokenKeys implements OciRequestSigner.KeySource {

    /** A session token is a JWT of a few KiB. */
    private static final long MAX_TOKEN_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path tokenFile;
    private final RSAPrivateKey key;
    private final Clock clock;
    private final String profile;
    private final String initialToken;
    private final String passPhrase;
    private FileTime modified;
    private long size = -1;
    private SigningKey current;
    private Instant expires;

    /**
     * @param profile the profile name, for the {@code oci session refresh --profile} hint
     */
    public SessionTokenKeys(Path tokenFile, RSAPrivateKey key, Clock clock, String profile) throws IOException {
        this(tokenFile, key, clock, profile, null);
    }

    private SessionTokenKeys(Path tokenFile, RSAPrivateKey key, Clock clock, String profile, String passPhrase)
            throws IOException {
        this.passPhrase = passPhrase;
        this.tokenFile = requireNonNull(tokenFile, "tokenFile is null");
        this.key = requireNonNull(key, "key is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.profile = requireNonNull(profile, "profile is null");
        this.initialToken = load().keyId().substring(3);
    }

    /** The session key of {@code profile} (owner-only key file) and its token file. */
    public static SessionTokenKeys of(OciProfile profile, Clock clock) throws IOException {
        profile.requireFor(OciAuthType.SECURITY_TOKEN);
        String where = ApiKeys.where(profile);
        return new SessionTokenKeys(profile.securityTokenFile(),
                ApiKeys.readKeyFile(profile.keyFile(), profile.passPhrase(), where), clock, profile.name(),
                profile.passPhrase() == null ? null : profile.passPhrase().reveal());
    }

    @Override
    public synchronized SigningKey current() throws IOException {
        SigningKey key = load();
        if (expires != null && !clock.instant().isBefore(expires)) {
            throw new CredentialException("The OCI session token in " + tokenFile + " expired at " + expires
                    + "; run 'oci session refresh --profile " + profile + "', or 'oci session authenticate' if the"
                    + " session can no longer be refreshed");
        }
        return key;
    }

    @Override
    public List<String> secretValues() {
        return passPhrase == null ? List.of(initialToken) : List.of(initialToken, passPhrase);
    }

    private SigningKey load() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(tokenFile, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new CredentialException("The OCI session token file " + tokenFile + " cannot be read; run"
                    + " 'oci session authenticate' to create a session for profile " + profile);
        }
        if (current != null && attributes.lastModifiedTime().equals(modified) && attributes.size() == size) {
            return current;
        }
        if (attributes.size() > MAX_TOKEN_BYTES) {
            throw new CredentialException("The OCI session token file " + tokenFile + " is larger than 64 KiB;"
                    + " it is not a session token");
        }
        String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')) {
            throw new CredentialException("The OCI session token file " + tokenFile + " is empty or holds more than"
                    + " one token; run 'oci session authenticate' for profile " + profile);
        }
        this.expires = expiry(token);
        this.current = new SigningKey("ST$" + token, key);
        this.modified = attributes.lastModifiedTime();
        this.size = attributes.size();
        return current;
    }

    /** The {@code exp} claim of a JWT token, or {@code null} when the token does not say. */
    static Instant expiry(String token) {
        return timeClaim(token, "exp");
    }

    /** A time claim (seconds since the epoch) of a JWT token, or {@code null} when the token does not say. */
    static Instant timeClaim(String token, String name) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims != null && claims.path(name).isNumber() ? Instant.ofEpochSecond(claims.path(name).asLong())
                    : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "SessionTokenKeys[" + tokenFile + "]";
    }
}
