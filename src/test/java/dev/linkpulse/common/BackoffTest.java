package dev.linkpulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The retry policy alone: doubling waits with a ceiling, sparse logging, a fresh start after success. */
class BackoffTest {

    @Test
    void waitsDoubleUpToFiveSecondsAndLogTheFirstAndEveryTwentiethFailure() {
        Backoff backoff = new Backoff();
        assertThat(backoff.delayMillis()).isZero();
        List<Long> delays = new ArrayList<>();
        List<Integer> logged = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            if (backoff.failed()) {
                logged.add(i);
            }
            delays.add(backoff.delayMillis());
        }
        assertThat(delays.subList(0, 9)).containsExactly(50L, 100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L);
        assertThat(delays).allMatch(d -> d <= 5_000);
        assertThat(logged).containsExactly(1, 20, 40, 60);
        assertThat(backoff.failures()).isEqualTo(60);

        backoff.succeeded();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.delayMillis()).isZero();
        assertThat(backoff.failed()).as("the first failure of a new run is logged").isTrue();
        assertThat(backoff.delayMillis()).isEqualTo(50);
    }

    @Test
    void pauseWaitsAboutTheDelay() {
        Backoff backoff = new Backoff();
        backoff.failed();
        backoff.failed(); // 100 ms
        long start = System.nanoTime();
        backoff.pause();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(90L, 2_000L);
    }

    @Test
    void aPauseLastsItsWholeDelayThoughTheThreadHoldsALeftoverUnpark() {
        Backoff backoff = new Backoff();
        backoff.failed();
        backoff.failed(); // 100 ms
        // As a queue's poll can leave it: the next park returns at once.
        LockSupport.unpark(Thread.currentThread());
        long start = System.nanoTime();
        backoff.pause();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(100L);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anInterruptEndsThePauseAndStaysSet() {
        Backoff backoff = new Backoff();
        for (int i = 0; i < 10; i++) {
            backoff.failed(); // 5 s
        }
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        backoff.pause();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L);
        assertThat(Thread.interrupted()).as("still set (and cleared here)").isTrue();
    }
}
