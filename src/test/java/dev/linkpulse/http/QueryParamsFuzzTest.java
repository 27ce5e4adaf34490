package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Coverage-guided fuzzing of query parameter parsing: a 400 naming the parameter, or a value in range. */
class QueryParamsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void integers(FuzzedDataProvider data) {
        long min = data.consumeLong(-1_000, 1_000);
        long max = min + data.consumeLong(0, Long.MAX_VALUE / 2);
        String raw = data.consumeRemainingAsString();
        try {
            long v = QueryParams.parseInteger("limit", raw, min, max);
            assertThat(v).isBetween(min, max);
            // Accepted only as plain decimal digits (with an optional minus) that mean exactly this value.
            assertThat(raw).matches("-?[0-9]{1,19}");
            assertThat(Long.parseLong(raw)).isEqualTo(v);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.details()).containsEntry("field", "limit");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void dates(FuzzedDataProvider data) {
        boolean end = data.consumeBoolean();
        String raw = data.consumeRemainingAsString();
        try {
            long at = QueryParams.parseDate("startDate", raw, end);
            // Anything accepted is a real instant that prints back as one.
            assertThat(dev.linkpulse.common.Timestamps.format(at)).matches("-?\\+?\\d{4,}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.details()).containsEntry("field", "startDate");
        }
    }
}
