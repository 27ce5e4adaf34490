package dev.linkpulse.clicks;

import java.util.Locale;

/** Who clicked: a person, a robot, or a link unfurler fetching a preview. */
public enum TrafficClass {
    HUMAN, BOT, PREVIEW;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrafficClass fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
