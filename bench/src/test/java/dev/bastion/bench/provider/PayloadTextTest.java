package dev.bastion.bench.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The payload must be the lab's text byte for byte. The expected digests were produced by running
 * the generator of the lab's TypeScript reference server ({@code payloadText} in
 * {@code bench-peers/peer-ts/server.mjs}) with node; the one for 64 KiB is also the one the lab's
 * README gives for both reference servers.
 */
class PayloadTextTest {

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void payloadOf64KbIsTheReferenceServersTextByteForByte() throws Exception {
        String text = PayloadText.of(64);

        assertThat(text).hasSize(65_600);
        assertThat(sha256(text)).isEqualTo("1832be36e9dae79e5face43321aabe873fbc5ae0e864ef43d04f775a32f727a3");
    }

    @Test
    void smallPayloadsMatchTheReferenceGeneratorToo() throws Exception {
        assertThat(PayloadText.of(0)).isEqualTo("{\"kb\":0,\"items\":[]}");
        assertThat(PayloadText.of(1)).hasSize(1048);
        assertThat(sha256(PayloadText.of(1))).isEqualTo("0f5266b2c794bac6ca432360e20fa7e383f1936accfb2a5a86e7a2ebea4672f0");
    }

    @Test
    void payloadIsValidJsonWithItemsBuiltFromTheAlphabet() throws Exception {
        JsonNode payload = new ObjectMapper().readTree(PayloadText.of(64));

        assertThat(payload.get("kb").intValue()).isEqualTo(64);
        JsonNode items = payload.get("items");
        assertThat(items.get(0).get("i").intValue()).isZero();
        assertThat(items.get(0).get("s").textValue()).startsWith("abcdefghijklmnopqrstuvwxyz0123456789abcd").hasSize(64);
        assertThat(items.get(37).get("s").textValue()).startsWith("bcdefghij");
        assertThat(items.get(items.size() - 1).get("i").intValue()).isEqualTo(items.size() - 1);
    }

    @Test
    void refusesSizesOutsideWhatTheReferenceServersAccept() {
        assertThatThrownBy(() -> PayloadText.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kb must be between 0 and 16384");
        assertThatThrownBy(() -> PayloadText.of(16385)).isInstanceOf(IllegalArgumentException.class);
    }
}
