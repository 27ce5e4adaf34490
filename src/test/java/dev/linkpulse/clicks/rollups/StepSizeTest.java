package dev.linkpulse.clicks.rollups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.store.Dialect;
import org.junit.jupiter.api.Test;

/** The rollup step's size: bounded by the heap, grown and shrunk by how long its writes take. */
class StepSizeTest {

    static final long MIB = 1024 * 1024;
    static final long FAST = 100_000_000L;   // 0.1 s: under a quarter of the 2 s lock wait
    static final long MIDDLE = 700_000_000L; // 0.7 s
    static final long SLOW = 1_500_000_000L; // 1.5 s: over half of it

    @Test
    void sqliteStaysAtFiveThousandWhateverTheHeapAndTheWrites() {
        StepSize size = StepSize.of(Dialect.SQLITE, 8_192 * MIB);
        assertThat(size.most()).isEqualTo(5_000);
        size.written(5_000, 5_000, FAST);
        assertThat(size.current()).isEqualTo(5_000);
    }

    @Test
    void postgresqlIsBoundedByAThirtySecondOfTheHeap() {
        assertThat(StepSize.of(Dialect.POSTGRESQL, 128 * MIB).most()).isEqualTo(5_000);
        assertThat(StepSize.of(Dialect.POSTGRESQL, 336 * MIB).most()).isEqualTo(5_376);
        assertThat(StepSize.of(Dialect.POSTGRESQL, 2_048 * MIB).most()).isEqualTo(32_768);
        assertThat(StepSize.of(Dialect.POSTGRESQL, 8_192 * MIB).most()).isEqualTo(50_000);
    }

    @Test
    void fullFastStepsDoubleUpToTheBoundAndSlowWritesHalveDownToTheLeast() {
        StepSize size = StepSize.of(Dialect.POSTGRESQL, 8_192 * MIB);
        assertThat(size.current()).isEqualTo(5_000);
        size.written(5_000, 5_000, FAST);
        assertThat(size.current()).isEqualTo(10_000);
        size.written(10_000, 10_000, FAST);
        size.written(20_000, 20_000, FAST);
        size.written(40_000, 40_000, FAST);
        assertThat(size.current()).isEqualTo(50_000);
        size.written(50_000, 50_000, MIDDLE); // between a quarter and a half of the wait: kept
        assertThat(size.current()).isEqualTo(50_000);
        size.written(50_000, 50_000, SLOW);
        assertThat(size.current()).isEqualTo(25_000);
        size.written(25_000, 25_000, SLOW);
        size.written(12_500, 12_500, SLOW);
        size.written(6_250, 6_250, SLOW);
        assertThat(size.current()).isEqualTo(5_000);
    }

    @Test
    void aStepThatCaughtUpOrWasSmallerSaysNothingAboutGrowing() {
        StepSize size = StepSize.of(Dialect.POSTGRESQL, 8_192 * MIB);
        size.written(5_000, 1_200, FAST); // caught up: no backlog to take larger steps of
        assertThat(size.current()).isEqualTo(5_000);
        size.written(1, 1, SLOW); // one click at a time, while a bad click is sought
        assertThat(size.current()).isEqualTo(5_000);
    }
}
