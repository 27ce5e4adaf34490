package dev.linkpulse.clicks;

/**
 * What brought a click (issue 15, {@code trigger=} on every analytics endpoint): the short URL
 * itself ({@link #LINK}), a tracked QR code's scan ({@link #QR}), or either ({@link #ALL}).
 */
public enum Trigger {
    ALL, LINK, QR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
