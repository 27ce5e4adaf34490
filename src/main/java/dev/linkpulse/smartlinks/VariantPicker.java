package dev.linkpulse.smartlinks;

import java.util.List;

/**
 * Which variant a visitor gets: a 64-bit hash of the visitor hash (which changes daily) and the
 * test id, placed on the variants' weights out of 10,000. The same visitor gets the same variant
 * all day; another test splits the same visitors independently.
 */
final class VariantPicker {

    private VariantPicker() {}

    static int pick(String visitorHash, String testId, List<AbTest.Variant> variants) {
        int total = 0;
        for (AbTest.Variant v : variants) {
            total += v.weight();
        }
        if (total <= 0) {
            return 0;
        }
        long slot = Long.remainderUnsigned(mix(visitorHash, testId), total * 100L);
        long upTo = 0;
        for (int i = 0; i < variants.size(); i++) {
            upTo += variants.get(i).weight() * 100L;
            if (slot < upTo) {
                return i;
            }
        }
        return variants.size() - 1;
    }

    /** FNV-1a over both strings, then MurmurHash3's finaliser so that every input bit reaches every output bit. */
    static long mix(String a, String b) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < a.length(); i++) {
            h = (h ^ a.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ '|') * 0x100000001b3L;
        for (int i = 0; i < b.length(); i++) {
            h = (h ^ b.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
