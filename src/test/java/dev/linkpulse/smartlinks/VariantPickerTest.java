package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The A/B split: shares follow the weights over many visitors, and a visitor keeps the same variant. */
class VariantPickerTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String visitorHash() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static List<AbTest.Variant> variants(int... weights) {
        return java.util.stream.IntStream.range(0, weights.length)
                .mapToObj(i -> new AbTest.Variant("v" + i, "V" + i, "https://example.com/" + i, weights[i])).toList();
    }

    private static void assertShares(List<AbTest.Variant> variants, String testId) {
        int visitors = 10_000;
        int[] got = new int[variants.size()];
        for (int i = 0; i < visitors; i++) {
            got[VariantPicker.pick(visitorHash(), testId, variants)]++;
        }
        for (int i = 0; i < variants.size(); i++) {
            double share = 100.0 * got[i] / visitors;
            assertThat(share).as("variant %d share", i).isBetween(variants.get(i).weight() - 2.0, variants.get(i).weight() + 2.0);
        }
    }

    @Test
    void sharesOverTenThousandVisitorsAreWithinTwoPointsOfTheWeights() {
        assertShares(variants(50, 50), "test-a");
        assertShares(variants(70, 30), "test-b");
        assertShares(variants(50, 30, 20), "test-c");
        assertShares(variants(10, 90), "test-d");
        assertShares(variants(34, 33, 33), "0b9f6a2e-8f0c-4d57-a2a1-5b3e3d2f1c00");
    }

    @Test
    void aVisitorAlwaysGetsTheSameVariantOfATest() {
        List<AbTest.Variant> v = variants(50, 30, 20);
        for (int i = 0; i < 1_000; i++) {
            String visitor = visitorHash();
            int first = VariantPicker.pick(visitor, "test-x", v);
            for (int again = 0; again < 5; again++) {
                assertThat(VariantPicker.pick(visitor, "test-x", v)).isEqualTo(first);
            }
        }
    }

    @Test
    void aZeroWeightVariantGetsNoOne() {
        List<AbTest.Variant> v = variants(100, 0);
        for (int i = 0; i < 2_000; i++) {
            assertThat(VariantPicker.pick(visitorHash(), "t", v)).isZero();
        }
    }

    @Test
    void twoTestsSplitTheSameVisitorsIndependently() {
        List<AbTest.Variant> v = variants(50, 50);
        int same = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            String visitor = visitorHash();
            if (VariantPicker.pick(visitor, "test-1", v) == VariantPicker.pick(visitor, "test-2", v)) {
                same++;
            }
        }
        assertThat(100.0 * same / n).isBetween(48.0, 52.0);
    }

    @Test
    void theZTestMatchesAKnownValue() {
        // 200/1000 against 250/1000: pooled p 0.225, SE 0.018675, z = 2.6774, two-sided p = 0.00742
        assertThat(Significance.pValue(200, 1000, 250, 1000)).isBetween(0.0073, 0.0076);
        assertThat(Significance.pValue(100, 1000, 100, 1000)).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Significance.pValue(0, 0, 1, 10)).isNull();
        assertThat(Significance.pValue(0, 10, 0, 10)).isNull();
    }
}
