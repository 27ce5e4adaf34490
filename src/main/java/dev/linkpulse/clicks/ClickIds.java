package dev.linkpulse.clicks;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUIDv7 click ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then random
 * bits. Ids from one generator are strictly increasing, so their text order is creation order even
 * within one millisecond or when the clock steps back.
 */
public final class ClickIds {

    /** (millis << 12) | counter of the last id handed out. */
    private final AtomicLong last = new AtomicLong();

    /**
     * A new id for a click at {@code nowMillis}. When more than 4,096 ids are asked for in one
     * millisecond, or the clock stepped back, the id's millisecond runs ahead of the clock.
     */
    public UUID next(long nowMillis) {
        long candidate = nowMillis << 12;
        long stamp;
        while (true) {
            long previous = last.get();
            // Same or earlier millisecond (clock stepped back): continue after the last id.
            stamp = candidate > previous ? candidate : previous + 1;
            if (last.compareAndSet(previous, stamp)) {
                break;
            }
        }
        long millis = stamp >>> 12;
        long counter = stamp & 0xfff;
        long msb = (millis << 16) | 0x7000L | counter;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
