package dev.linkpulse.smartlinks;

/**
 * The two-proportion z-test of a variant's conversion rate against the control's. A proportion is
 * successes out of trials: converted clicks out of clicks, never conversion events (one click may
 * convert several times, and a "proportion" above 1 makes the test meaningless).
 */
final class Significance {

    private Significance() {}

    /** The two-sided p-value, or null when it is undefined (no clicks, or no variation at all); converted ≤ clicks. */
    static Double pValue(long convertedA, long clicksA, long convertedB, long clicksB) {
        if (clicksA == 0 || clicksB == 0) {
            return null;
        }
        double pa = (double) convertedA / clicksA;
        double pb = (double) convertedB / clicksB;
        double pooled = (double) (convertedA + convertedB) / (clicksA + clicksB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / clicksA + 1.0 / clicksB));
        if (!(se > 0)) { // 0 without variation; NaN if ever converted > clicks: undefined either way, never a fake p
            return null;
        }
        double z = Math.abs(pb - pa) / se;
        return 2 * (1 - normalCdf(z));
    }

    /** The standard normal CDF (Abramowitz and Stegun 7.1.26 for erf; error below 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
