package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.linkpulse.http.ApiException;
import java.net.URI;

/**
 * Coverage-guided fuzzing of the destination and alias validators (Jazzer). In the normal suite
 * these run their seed inputs; {@code JAZZER_FUZZ=1} fuzzes for real (docs/RELIABILITY.md).
 * Whatever the input: a 400 naming the field, or a value that keeps every promise.
 */
class InputFuzzTest {

    static final DestinationRules RULES = new DestinationRules("https://lp.example");

    @FuzzTest(maxDuration = "30s")
    void destinationUrls(FuzzedDataProvider data) {
        String input = data.consumeRemainingAsString();
        String url;
        try {
            url = RULES.check(input);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.details()).containsEntry("field", "url");
            return;
        }
        assertThat(url.length()).isLessThanOrEqualTo(8_192 * 9); // non-ASCII is %-encoded, at most 9 bytes a char
        assertThat(url.chars().noneMatch(c -> c <= 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))).as(url).isTrue();
        URI uri = URI.create(url);
        assertThat(uri.getScheme().toLowerCase(java.util.Locale.ROOT)).isIn("http", "https");
        assertThat(uri.getHost()).isNotEmpty();
        assertThat(uri.getRawUserInfo()).isNull();
        assertThat(url).doesNotContain("\r").doesNotContain("\n");
    }

    @FuzzTest(maxDuration = "30s")
    void aliases(FuzzedDataProvider data) {
        String input = data.consumeRemainingAsString();
        try {
            String alias = ShortUrlInput.checkAlias(input);
            assertThat(alias).matches("[A-Za-z0-9_-]{3,50}");
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.details()).containsEntry("field", "custom_alias");
        }
    }
}
