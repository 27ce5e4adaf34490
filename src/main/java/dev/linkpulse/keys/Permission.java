package dev.linkpulse.keys;

import java.util.Locale;
import java.util.Optional;

/** What an API key may do (spec §1). */
public enum Permission {
    READ, WRITE, DELETE, ANALYTICS, ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Permission> parse(String label) {
        for (Permission p : values()) {
            if (p.label().equals(label)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
