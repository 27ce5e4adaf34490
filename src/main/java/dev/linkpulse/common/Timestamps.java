package dev.linkpulse.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The API's one timestamp format: ISO 8601, UTC, milliseconds, {@code Z}. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A nullable epoch-millis value as the API shows it. */
    public static String formatNullable(Long epochMillis) {
        return epochMillis == null ? null : format(epochMillis);
    }

    /**
     * Parses a date ({@code 2024-01-15}, meaning 00:00:00Z that day) or a full timestamp with an
     * offset ({@code 2024-01-15T14:32:00Z}, {@code 2024-01-15T16:32:00+02:00}); empty when it is neither.
     */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank() || text.length() > 64) {
            return Optional.empty();
        }
        try {
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
