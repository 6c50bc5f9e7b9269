package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.mcp.RequestStates;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The key that signs the {@code requestState} of {@code input_required} results (protocol
 * 2026-07-28): approvals and other questions to the client travel through them, and a state must
 * come back unchanged, from the caller it was issued to. Replicas behind a load balancer need the
 * same key, or a round answered on another replica is refused; without the setting each process
 * draws a random key at start.
 */
public final class RequestStateKey {

    /** The setting, relative to the {@code security} section. */
    public static final String SETTING = "request_state_key";
    public static final String ENV = "BASTION_REQUEST_STATE_KEY";

    private RequestStateKey() {
    }

    public static List<Setting> settings() {
        return List.of(Setting.builder(SETTING, SettingType.STRING).env(ENV).secret()
                .format(RequestStateKey::check)
                .description("Base64 key (at least 32 bytes) that signs the requestState of input_required results "
                        + "(protocol 2026-07-28); give every replica the same one. Unset: a random key per process.")
                .build());
    }

    /** The decoded key, when set. */
    public static Optional<byte[]> from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        return section.secret(SETTING).filter(secret -> !secret.isEmpty())
                .map(secret -> decode(secret.reveal()).orElseThrow());
    }

    private static Optional<String> check(String source, String value) {
        return decode(value).isPresent() ? Optional.empty() : Optional.of(source + " must be base64 of at least "
                + RequestStates.MIN_KEY_BYTES + " random bytes, such as the output of: openssl rand -base64 32");
    }

    private static Optional<byte[]> decode(String value) {
        String text = value.strip();
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                byte[] key = decoder.decode(text);
                if (key.length >= RequestStates.MIN_KEY_BYTES) {
                    return Optional.of(key);
                }
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                // try the other alphabet
            }
        }
        return Optional.empty();
    }
}
