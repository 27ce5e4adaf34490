package dev.linkpulse.clicks.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The journal's bookkeeping of its segments, without any I/O: which groups of a segment the
 * recorder still holds in memory, which segments hold clicks that live only on disk (to replay),
 * and how many entries are pending, that is on disk only. A segment is settled, and may be deleted,
 * when nothing holds it and nothing in it needs replay. Not thread-safe: the journal calls it under
 * its lock.
 */
final class SegmentLedger {

    /** What this process knows of one segment. */
    private static final class State {
        int entries;
        /** Groups in the recorder's memory, plus one while a replay is being handed over. */
        int held;
        /** Holds entries that live only here: replay before deleting. */
        boolean needsReplay;
        /** Entries handed out for replay and still counted as pending until {@link #handedOver}. */
        int handingOver;
    }

    private final TreeMap<Long, State> states = new TreeMap<>();
    private long pending;

    /** Entries that live only on disk. */
    long pending() {
        return pending;
    }

    /** A segment left by an earlier process: all of it waits for replay. */
    void found(long segment, int entries) {
        State state = new State();
        state.entries = entries;
        states.put(segment, state);
        needsReplay(segment);
    }

    /** A new segment, empty. */
    void opened(long segment) {
        states.put(segment, new State());
    }

    /** Entries written to a segment; pending at once when the segment already waits for replay. */
    void appended(long segment, int entries) {
        State state = states.get(segment);
        state.entries += entries;
        if (state.needsReplay) {
            pending += entries;
        }
    }

    /** A group of the segment is (back) in the recorder's memory. */
    void hold(long segment) {
        State state = states.get(segment);
        if (state != null) {
            state.held++;
        }
    }

    /** The segment holds entries that live only on disk now. */
    void needsReplay(long segment) {
        State state = states.get(segment);
        if (state != null && !state.needsReplay) {
            state.needsReplay = true;
            pending += state.entries;
        }
    }

    /** One group is done with ({@code safe}: stored or journaled again); true when the segment is settled now. */
    boolean release(long segment, boolean safe) {
        State state = states.get(segment);
        if (state == null) {
            return false;
        }
        state.held--;
        if (!safe) {
            needsReplay(segment);
        }
        return state.held == 0 && !state.needsReplay;
    }

    /** True when the segment waits for replay and nothing in memory holds it. */
    boolean replayable(long segment) {
        State state = states.get(segment);
        return state != null && state.held == 0 && state.needsReplay;
    }

    /**
     * The segment was read for replay ({@code read} entries): held once while it is handed over, and
     * still pending until {@link #handedOver}, so health never shows its clicks nowhere.
     */
    void takenForReplay(long segment, int read) {
        State state = states.get(segment);
        state.handingOver = state.entries;
        state.entries = read;
        state.needsReplay = false;
        state.held = 1;
    }

    /** The replayed segment is in the recorder's hands; true when it is settled now. */
    boolean handedOver(long segment, boolean safe) {
        State state = states.get(segment);
        if (state == null) {
            return false;
        }
        pending -= state.handingOver;
        state.handingOver = 0;
        return release(segment, safe);
    }

    /** Entries erased from a segment (a deleted link's). */
    void purged(long segment, int removed) {
        State state = states.get(segment);
        if (state != null) {
            state.entries -= removed;
            if (state.needsReplay) {
                pending -= removed;
            }
        }
    }

    /** The segment is deleted. */
    void forget(long segment) {
        states.remove(segment);
    }

    /** Segments nothing holds or needs: to delete. */
    List<Long> settled() {
        List<Long> out = new ArrayList<>();
        states.forEach((segment, state) -> {
            if (state.held == 0 && !state.needsReplay && state.handingOver == 0) {
                out.add(segment);
            }
        });
        return out;
    }
}
