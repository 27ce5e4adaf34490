package dev.linkpulse.smartlinks;

import java.util.List;

/** A targeting rule: when every condition holds, the click goes to {@code destinationUrl}. */
public record Rule(String destinationUrl, List<Condition> conditions) {

    /**
     * One condition. {@code key} is the query parameter for {@link Type#QUERY}, else null; {@code at}
     * is the time of {@link Type#BEFORE} and {@link Type#AFTER} in epoch milliseconds (0 for the others).
     */
    public record Condition(Type type, String key, String value, long at) {}

    public enum Type {
        DEVICE_TYPE("device_type"), OS("os"), BROWSER("browser"), COUNTRY("country"), LANGUAGE("language"),
        QUERY("query"), BEFORE("before"), AFTER("after");

        final String label;

        Type(String label) {
            this.label = label;
        }

        static Type of(String label) {
            for (Type t : values()) {
                if (t.label.equals(label)) {
                    return t;
                }
            }
            return null;
        }
    }
}
