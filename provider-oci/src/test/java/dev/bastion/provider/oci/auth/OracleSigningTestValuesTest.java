package dev.bastion.provider.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.auth.OutgoingRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Oracle's published test values for request signing, byte for byte: the sample key, GET and POST
 * requests and their signing strings, signatures and Authorization headers of the "Request
 * Signatures" page (docs.oracle.com/iaas/Content/API/Concepts/signingrequests.htm, "Test Values"),
 * which oracle/oci-go-sdk {@code common/http_signer_test.go} asserts too. The page's keyId ends
 * with the sample key's real fingerprint (73:61:a2:...); the Go test uses an arbitrary one
 * (20:3b:97:...), and both headers are checked.
 */
class OracleSigningTestValuesTest {

    private static final String TENANCY = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
    private static final String USER = "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq";
    private static final String GO_TEST_FINGERPRINT = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
    /** The page's requests carry this Date header (5 January 2014 was in fact a Sunday; it is signed as sent). */
    private static final String DATE = "Thu, 05 Jan 2014 21:31:40 GMT";
    private static final Clock JAN_5_2014 = Clock.fixed(Instant.parse("2014-01-05T21:31:40Z"), ZoneOffset.UTC);

    private static final URI GET_URI = URI.create("https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances"
            + "?availabilityDomain=Pjwf%3A%20PHX-AD-1"
            + "&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa"
            + "&displayName=TeamXInstances"
            + "&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q");
    private static final URI POST_URI = URI.create("https://iaas.us-phoenix-1.oraclecloud.com/20160918/volumeAttachments");
    private static final String POST_BODY = "{\n"
            + "    \"compartmentId\": \"ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa\",\n"
            + "    \"instanceId\": \"ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a\",\n"
            + "    \"volumeId\": \"ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q\"\n"
            + "}";

    private static final String GET_SIGNING_STRING = "date: Thu, 05 Jan 2014 21:31:40 GMT\n"
            + "(request-target): get /20160918/instances?availabilityDomain=Pjwf%3A%20PHX-AD-1"
            + "&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa"
            + "&displayName=TeamXInstances"
            + "&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q\n"
            + "host: iaas.us-phoenix-1.oraclecloud.com";
    private static final String GET_SIGNATURE = "GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPe"
            + "DUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M=";

    private static final String POST_SIGNING_STRING = "date: Thu, 05 Jan 2014 21:31:40 GMT\n"
            + "(request-target): post /20160918/volumeAttachments\n"
            + "host: iaas.us-phoenix-1.oraclecloud.com\n"
            + "content-length: 316\n"
            + "content-type: application/json\n"
            + "x-content-sha256: V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=";
    private static final String POST_SIGNATURE = "Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qI"
            + "dazWaBy/Ml8DRhqlocMwoSXv0fbukP8J5N80LCmzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso=";

    private static SigningKey key(String fingerprint) {
        RSAPrivateCrtKey key = PemPrivateKeys.read(TestKeys.pem("oracle-test-key.pem"), null, "oracle-test-key.pem");
        return new SigningKey(TENANCY + "/" + USER + "/" + fingerprint, key);
    }

    private static OciRequestSigner.Signed signGet(String fingerprint) throws Exception {
        return OciRequestSigner.of(key(fingerprint), JAN_5_2014)
                .sign(new OutgoingRequest("GET", GET_URI, Map.of("date", List.of(DATE)), new byte[0]));
    }

    private static OciRequestSigner.Signed signPost(String fingerprint) throws Exception {
        return OciRequestSigner.of(key(fingerprint), JAN_5_2014).sign(new OutgoingRequest("POST", POST_URI,
                Map.of("Content-Type", List.of("application/json"), "Date", List.of(DATE)), POST_BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sampleKeyHasTheDocumentedFingerprint() {
        RSAPrivateCrtKey key = PemPrivateKeys.read(TestKeys.pem("oracle-test-key.pem"), null, "oracle-test-key.pem");

        assertThat(PemPrivateKeys.fingerprint(key)).startsWith("73:61:a2").isEqualTo(TestKeys.ORACLE_FINGERPRINT);
    }

    @Test
    void getRequestSigningStringAndSignature() throws Exception {
        OciRequestSigner.Signed signed = signGet(GO_TEST_FINGERPRINT);

        assertThat(signed.signingString()).isEqualTo(GET_SIGNING_STRING);
        assertThat(signed.signature()).isEqualTo(GET_SIGNATURE);
        assertThat(signed.headers()).containsOnlyKeys("authorization");
    }

    @Test
    void getRequestAuthorizationHeaderOfTheDocumentation() throws Exception {
        assertThat(signGet(TestKeys.ORACLE_FINGERPRINT).headers().get("authorization")).isEqualTo(
                "Signature version=\"1\",headers=\"date (request-target) host\",keyId=\"" + TENANCY + "/" + USER
                        + "/73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7\",algorithm=\"rsa-sha256\",signature=\""
                        + GET_SIGNATURE + "\"");
    }

    @Test
    void getRequestAuthorizationHeaderOfTheGoSdkTest() throws Exception {
        assertThat(signGet(GO_TEST_FINGERPRINT).headers().get("authorization")).isEqualTo(
                "Signature version=\"1\",headers=\"date (request-target) host\",keyId=\"ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jq"
                        + "ae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq/ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgda"
                        + "qedqw3rynjq/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34\",algorithm=\"rsa-sha256\",signature=\"GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPe"
                        + "DUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll"
                        + "8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M=\"");
    }

    @Test
    void postRequestSigningStringSignatureAndBodyHeaders() throws Exception {
        assertThat(POST_BODY.getBytes(StandardCharsets.UTF_8)).hasSize(316);

        OciRequestSigner.Signed signed = signPost(GO_TEST_FINGERPRINT);

        assertThat(signed.signingString()).isEqualTo(POST_SIGNING_STRING);
        assertThat(signed.signature()).isEqualTo(POST_SIGNATURE);
        assertThat(signed.headers()).containsEntry("x-content-sha256", "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=")
                // The request's own Content-Type is the one signed, so the signer does not set another.
                .doesNotContainKey("content-type");
    }

    @Test
    void postRequestAuthorizationHeaders() throws Exception {
        String bodyHeaders = "headers=\"date (request-target) host content-length content-type x-content-sha256\"";

        assertThat(signPost(TestKeys.ORACLE_FINGERPRINT).headers().get("authorization")).isEqualTo(
                "Signature version=\"1\"," + bodyHeaders + ",keyId=\"" + TENANCY + "/" + USER + "/"
                        + TestKeys.ORACLE_FINGERPRINT + "\",algorithm=\"rsa-sha256\",signature=\"" + POST_SIGNATURE + "\"");
        assertThat(signPost(GO_TEST_FINGERPRINT).headers().get("authorization")).isEqualTo(
                "Signature version=\"1\",headers=\"date (request-target) host content-length content-type x-content-sha256\","
                        + "keyId=\"ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq/ocid1.user.oc1.."
                        + "aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34\","
                        + "algorithm=\"rsa-sha256\",signature=\"Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qI"
                        + "dazWaBy/Ml8DRhqlocMwoSXv0fbukP8J5N80LCmzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso=\"");
    }

    @Test
    void emptyBodyIsHashedToo() throws Exception {
        OciRequestSigner.Signed signed = OciRequestSigner.of(key(GO_TEST_FINGERPRINT), JAN_5_2014)
                .sign(new OutgoingRequest("POST", POST_URI, Map.of(), new byte[0]));

        assertThat(signed.headers()).containsEntry("x-content-sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
                .containsEntry("content-type", "application/json");
        assertThat(signed.signingString()).contains("\ncontent-length: 0\n");
    }

    @Test
    void dayOfMonthKeepsItsLeadingZeroAndPortIsSignedInTheHost() throws Exception {
        OciRequestSigner.Signed signed = OciRequestSigner.of(key(GO_TEST_FINGERPRINT), JAN_5_2014)
                .sign(new OutgoingRequest("GET", URI.create("http://localhost:7000/api"), Map.of(), new byte[0]));

        assertThat(signed.signingString())
                .isEqualTo("date: Sun, 05 Jan 2014 21:31:40 GMT\n(request-target): get /api\nhost: localhost:7000");
        assertThat(signed.headers()).containsEntry("date", "Sun, 05 Jan 2014 21:31:40 GMT");
    }
}
