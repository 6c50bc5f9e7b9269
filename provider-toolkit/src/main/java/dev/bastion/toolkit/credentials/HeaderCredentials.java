package dev.bastion.toolkit.credentials;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.spi.Secret;
import java.util.List;
import java.util.Map;

/**
 * A static token sent in one header on every request: {@code Authorization: Api-Token <token>}
 * (Dynatrace classic), {@code Authorization: Bearer <token>}, {@code Authorization: OAuth <token>},
 * any other scheme, or a header of its own such as {@code X-Api-Key: <token>}. A {@code 401}
 * cannot be cured by retrying it, so {@link #invalidate()} stays {@code false}.
 */
public final class HeaderCredentials implements BackendCredentials {

    private final String headerName;
    /** The scheme before the token, or {@code null} when the header value is the bare token. */
    private final String scheme;
    private final Secret token;
    private final String settingName;

    private HeaderCredentials(String headerName, String scheme, Secret token, String settingName) {
        this.headerName = requireNonNull(headerName, "headerName is null");
        this.scheme = scheme;
        this.token = requireNonNull(token, "token is null");
        this.settingName = requireNonNull(settingName, "settingName is null");
        TokenText.requireHeaderName(headerName);
        if (scheme != null && !TokenText.isToken(scheme)) {
            throw new IllegalArgumentException("the authorization scheme \"" + scheme
                    + "\" must be one word of letters, digits or !#$%&'*+-.^_`|~");
        }
        TokenText.requireSendable(token.reveal(), settingName);
    }

    /** {@code Authorization: Api-Token <token>}, the Dynatrace classic API token. */
    public static HeaderCredentials apiToken(Secret token, String settingName) {
        return scheme("Api-Token", token, settingName);
    }

    /** {@code Authorization: Bearer <token>}. */
    public static HeaderCredentials bearer(Secret token, String settingName) {
        return scheme("Bearer", token, settingName);
    }

    /**
     * {@code Authorization: <scheme> <token>}, for example {@code OAuth}.
     *
     * @param settingName the setting that holds the token, named (never shown) in error messages
     */
    public static HeaderCredentials scheme(String scheme, Secret token, String settingName) {
        return new HeaderCredentials("Authorization", requireNonNull(scheme, "scheme is null"), token, settingName);
    }

    /** {@code <headerName>: <token>}, the bare token in a header of the backend's choosing. */
    public static HeaderCredentials header(String headerName, Secret token, String settingName) {
        return new HeaderCredentials(headerName, null, token, settingName);
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) {
        return Map.of(headerName, scheme == null ? token.reveal() : scheme + " " + token.reveal());
    }

    @Override
    public List<String> secretValues() {
        return List.of(token.reveal());
    }

    /** The setting that holds the token, for messages such as "check api_token". */
    public String settingName() {
        return settingName;
    }

    @Override
    public String toString() {
        return "HeaderCredentials[" + headerName + ": " + (scheme == null ? "" : scheme + " ") + Secret.MASK
                + " from " + settingName + "]";
    }
}
