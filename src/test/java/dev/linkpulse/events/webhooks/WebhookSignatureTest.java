package dev.linkpulse.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signatures against the Standard Webhooks spec's own published test vector. */
class WebhookSignatureTest {

    /** From standard-webhooks/standard-webhooks, libraries' "sign function works" test. */
    @Test
    void matchesTheSpecsTestVector() {
        String signature = WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        String key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String base = WebhookSignature.sign(key, "msg_1", 1614265330L, "{}");
        assertThat(WebhookSignature.sign(key, "msg_2", 1614265330L, "{}")).isNotEqualTo(base);
        assertThat(WebhookSignature.sign(key, "msg_1", 1614265331L, "{}")).isNotEqualTo(base);
        assertThat(WebhookSignature.sign(key, "msg_1", 1614265330L, "{ }")).isNotEqualTo(base);
    }

    @Test
    void newSecretsArePrefixedBase64Of32RandomBytes() {
        String a = WebhookSignature.newSecret();
        String b = WebhookSignature.newSecret();
        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
    }
}
