package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartialFormsTest {

    @Test
    void aThreePartTokenLeaksAlsoWithoutItsPrefixAndAsItsSecretPart() {
        String token = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
        assertThat(ProviderContractTest.partialForms(token)).containsExactlyInAnyOrder(token,
                "ABCDEFGHIJKLMNOPQRSTUVWX",
                "ABCDEFGHIJKLMNOPQRSTUVWX.0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
                "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");
    }

    @Test
    void aPlainKeyIsOnlyItself() {
        assertThat(ProviderContractTest.partialForms("acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0"))
                .containsExactly("acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0");
    }
}
