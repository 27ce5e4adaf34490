package dev.linkpulse.smartlinks;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A link's smart settings as the redirect uses them. {@code exhausted} remembers, in this process,
 * that the click limit was reached, so later clicks go to the fallback without asking the store;
 * any change of the settings loads them afresh.
 *
 * @param rules targeting rules, empty when none
 * @param maxClicks human clicks allowed, null when unlimited
 * @param fallbackUrl where clicks past the limit go, null for 410
 * @param passwordHash BCrypt hash of the link's password, null when it has none
 * @param conversionTracking whether the destination gets {@code lp_click_id}
 * @param testId the running A/B test, null when none; {@code variants} are its variants
 */
record SmartSettings(String linkId, String workspaceId, List<Rule> rules, Long maxClicks, long usedClicks, String fallbackUrl,
        String passwordHash, boolean conversionTracking, String testId, List<AbTest.Variant> variants, AtomicBoolean exhausted) {

    boolean limited() {
        return maxClicks != null;
    }
}
