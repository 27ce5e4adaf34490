package dev.linkpulse.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClickIdsTest {

    private final ClickIds generator = new ClickIds();

    @Test
    void idsAreVersion7AndTheirTextOrderIsCreationOrderEvenWithinOneMillisecond() {
        long now = 1_760_000_000_000L;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = generator.next(now + i / 5_000);
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id.toString());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        UUID first = UUID.fromString(ids.get(0));
        assertThat(first.getMostSignificantBits() >>> 16).as("the millisecond encoded").isEqualTo(now);
    }

    @Test
    void aClockThatStepsBackNeverProducesAnEarlierId() {
        UUID later = generator.next(1_900_000_000_000L);
        UUID stepBack = generator.next(1_800_000_000_000L);
        assertThat(stepBack.toString()).isGreaterThan(later.toString());
    }
}
