package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The QR scan marker of issue 15 as the redirect reads it: only a query that starts with it, stripped before forwarding. */
class QrMarkerTest {

    @Test
    void onlyALeadingMarkerCounts() {
        assertThat(Redirects.hasQrMarker("_qr")).isTrue();
        assertThat(Redirects.hasQrMarker("_qr&utm_source=poster")).isTrue();
        for (String other : Arrays.asList(null, "", "_q", "_qra", "_qr=1", "qr", "a=1&_qr", "utm_source=_qr", "_QR")) {
            assertThat(Redirects.hasQrMarker(other)).as(String.valueOf(other)).isFalse();
        }
    }

    @Test
    void theMarkerIsStrippedAndTheRestKept() {
        assertThat(Redirects.withoutQrMarker("_qr")).isNull();
        assertThat(Redirects.withoutQrMarker("_qr&utm_source=poster&x=1")).isEqualTo("utm_source=poster&x=1");
        assertThat(Redirects.withoutQrMarker("_qr&")).isEqualTo("");
        assertThat(Redirects.withoutQrMarker("a=1&_qr")).isEqualTo("a=1&_qr");
        assertThat(Redirects.withoutQrMarker(null)).isNull();
    }

    @Test
    void aMarkedQueryForwardsWithoutTheMarker() {
        assertThat(Redirects.destinationWithQuery("https://d.example/p?x=1", Redirects.withoutQrMarker("_qr&utm_source=poster")))
                .isEqualTo("https://d.example/p?x=1&utm_source=poster");
        assertThat(Redirects.destinationWithQuery("https://d.example/p#top", Redirects.withoutQrMarker("_qr")))
                .isEqualTo("https://d.example/p#top");
    }
}
