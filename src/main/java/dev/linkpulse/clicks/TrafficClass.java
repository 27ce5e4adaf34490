package dev.linkpulse.clicks;

import java.util.Locale;

/** Who clicked: a person, a robot, or a link unfurler fetching a preview. */
public enum TrafficClass {
    HUMAN, BOT, PREVIEW;

    private static final TrafficClass[] VALUES = values();

    // Made once: every click stored and counted writes or reads its label.
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    public static TrafficClass fromLabel(String label) {
        for (TrafficClass c : VALUES) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
