package dev.linkpulse.links;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Short code → what its redirect needs. A million links must fit next to Yauaa in a small heap,
 * so links are kept packed ({@link RedirectTarget}, about a hundred bytes each with their slot) in
 * open-addressed arrays that are read without locks; a Caffeine cache with its entry objects
 * would take twice that. Codes that name no link, or a disabled one, are remembered apart in a
 * smaller Caffeine cache, so a flood of unknown codes never pushes real links out.
 *
 * <p>Any change to a code invalidates it. A load that raced with an invalidation of its segment
 * is answered but not cached, so a cache never keeps what the store no longer says. When the links
 * outgrow the bound, an arbitrary one of the full segment makes room (it is loaded again when asked
 * for).
 */
final class LinkCache {

    private static final int SEGMENT_BITS = 4;
    private static final int INITIAL_SLOTS = 16;
    private static final Object REMOVED = new Object();
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Segment[] segments = new Segment[1 << SEGMENT_BITS];
    private final int maxLinksPerSegment;
    private final Cache<String, Boolean> absent;
    private final ConcurrentHashMap<String, String> workspaceIds = new ConcurrentHashMap<>();
    private final Function<String, Optional<ShortUrl>> loader;

    LinkCache(int maxLinks, int maxAbsentCodes, Function<String, Optional<ShortUrl>> loader) {
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment();
        }
        this.maxLinksPerSegment = Math.max(1, (maxLinks + segments.length - 1) / segments.length);
        this.absent = Caffeine.newBuilder().maximumSize(maxAbsentCodes).build();
        this.loader = loader;
    }

    /** The enabled link of {@code code}, or null when there is none. Loads on a miss. */
    RedirectTarget get(String code) {
        if (!RedirectTarget.fits(code)) {
            return target(code, loader.apply(code));
        }
        int hash = hash(code);
        Segment segment = segments[hash >>> (32 - SEGMENT_BITS)];
        RedirectTarget cached = segment.find(code, hash);
        if (cached != null || absent.getIfPresent(code) != null) {
            return cached;
        }
        long seen = segment.epoch;
        RedirectTarget loaded = target(code, loader.apply(code));
        synchronized (segment) {
            if (segment.epoch == seen) {
                if (loaded != null) {
                    segment.put(code, hash, loaded, maxLinksPerSegment);
                } else {
                    absent.put(code, Boolean.TRUE);
                }
            }
        }
        return loaded;
    }

    void invalidate(String code) {
        if (!RedirectTarget.fits(code)) {
            return;
        }
        int hash = hash(code);
        Segment segment = segments[hash >>> (32 - SEGMENT_BITS)];
        synchronized (segment) {
            segment.epoch++;
            segment.remove(code, hash);
            absent.invalidate(code);
        }
    }

    void invalidateAll() {
        for (Segment segment : segments) {
            synchronized (segment) {
                segment.epoch++;
                segment.clear();
            }
        }
        absent.invalidateAll();
    }

    /** Links held (not counting absent codes). */
    long size() {
        long size = 0;
        for (Segment segment : segments) {
            synchronized (segment) {
                size += segment.live;
            }
        }
        return size;
    }

    private RedirectTarget target(String code, Optional<ShortUrl> link) {
        if (link.isEmpty() || link.get().disabled()) {
            return null;
        }
        String workspaceId = workspaceIds.computeIfAbsent(link.get().workspaceId(), id -> id);
        return RedirectTarget.of(code, link.get(), workspaceId);
    }

    /** String hashes of similar codes differ in the low bits only; spread them over all 32. */
    private static int hash(String code) {
        return code.hashCode() * 0x9E3779B9;
    }

    /**
     * One sixteenth of the links, in linear-probing slots. Readers walk the array they found
     * without locking: slots only ever go from empty to a link and from a link to {@code REMOVED}
     * or to the same code's newer link, and a fuller array is published as a whole, so a walk
     * always ends at an empty slot. Writers hold the segment's monitor.
     */
    private static final class Segment {
        private volatile Object[] slots = new Object[INITIAL_SLOTS];
        /** Bumped by every invalidation, so a load that started before it is not cached. */
        private volatile long epoch;
        private int live;
        private int used;
        private int evictionHand;

        RedirectTarget find(String code, int hash) {
            Object[] s = slots;
            int mask = s.length - 1;
            for (int i = hash & mask;; i = (i + 1) & mask) {
                Object entry = SLOT.getAcquire(s, i);
                if (entry == null) {
                    return null;
                }
                if (entry != REMOVED && ((RedirectTarget) entry).hasCode(code)) {
                    return (RedirectTarget) entry;
                }
            }
        }

        void put(String code, int hash, RedirectTarget target, int maxLinks) {
            int at = indexOf(slots, code, hash);
            if (at >= 0) {
                SLOT.setRelease(slots, at, target);
                return;
            }
            if (live >= maxLinks) {
                evictOne();
            }
            if ((used + 1) * 4 > slots.length * 3) {
                rebuild(live + 1);
            }
            insert(slots, hash, target);
            live++;
            used++;
        }

        void remove(String code, int hash) {
            int at = indexOf(slots, code, hash);
            if (at >= 0) {
                SLOT.setRelease(slots, at, REMOVED);
                live--;
            }
        }

        void clear() {
            slots = new Object[INITIAL_SLOTS];
            live = 0;
            used = 0;
        }

        private void evictOne() {
            Object[] s = slots;
            for (int n = 0; n < s.length; n++) {
                int i = (evictionHand + n) & (s.length - 1);
                Object entry = s[i];
                if (entry != null && entry != REMOVED) {
                    SLOT.setRelease(s, i, REMOVED);
                    live--;
                    evictionHand = i + 1;
                    return;
                }
            }
        }

        /** Copies the links into a new array where they fill at most half of the slots. */
        private void rebuild(int links) {
            int capacity = INITIAL_SLOTS;
            while (capacity < links * 2) {
                capacity <<= 1;
            }
            Object[] fresh = new Object[capacity];
            for (Object entry : slots) {
                if (entry != null && entry != REMOVED) {
                    RedirectTarget target = (RedirectTarget) entry;
                    insert(fresh, hash(target.code()), target);
                }
            }
            slots = fresh;
            used = live;
        }

        private static void insert(Object[] s, int hash, RedirectTarget target) {
            int mask = s.length - 1;
            int i = hash & mask;
            while (s[i] != null) {
                i = (i + 1) & mask;
            }
            SLOT.setRelease(s, i, target);
        }

        private static int indexOf(Object[] s, String code, int hash) {
            int mask = s.length - 1;
            for (int i = hash & mask;; i = (i + 1) & mask) {
                Object entry = s[i];
                if (entry == null) {
                    return -1;
                }
                if (entry != REMOVED && ((RedirectTarget) entry).hasCode(code)) {
                    return i;
                }
            }
        }
    }
}
