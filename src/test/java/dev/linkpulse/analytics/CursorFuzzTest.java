package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.http.ApiException;

/** Coverage-guided fuzzing of cursor decoding: a 400 naming {@code cursor}, or a well-formed position. */
class CursorFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void cursors(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        try {
            ClickStore.Position p = ClickDetailsApi.decodeCursor(raw);
            assertThat(p.id()).matches("[0-9a-f-]{36}");
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.details()).containsEntry("field", "cursor");
        }
    }
}
