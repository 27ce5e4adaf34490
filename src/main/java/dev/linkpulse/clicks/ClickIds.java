package dev.linkpulse.clicks;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUIDv7 click ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then random
 * bits. Ids from one process are strictly increasing, so their text order is time order even
 * within one millisecond.
 */
public final class ClickIds {

    /** (millis << 12) | counter of the last id handed out. */
    private static final AtomicLong LAST = new AtomicLong();

    private ClickIds() {}

    /**
     * A new id for a click at {@code nowMillis}. When more than 4,096 ids are asked for in one
     * millisecond the id moves into the next; {@link #millisOf} tells the millisecond it encodes.
     */
    public static UUID next(long nowMillis) {
        long candidate = nowMillis << 12;
        long stamp;
        while (true) {
            long last = LAST.get();
            // Same or earlier millisecond (clock stepped back): continue after the last id.
            stamp = candidate > last ? candidate : last + 1;
            if (LAST.compareAndSet(last, stamp)) {
                break;
            }
        }
        long millis = stamp >>> 12;
        long counter = stamp & 0xfff;
        long msb = (millis << 16) | 0x7000L | counter;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The millisecond encoded in a UUIDv7. */
    public static long millisOf(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

}
