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

    /** The earliest instant the API reads: times are stored as epoch milliseconds, never negative. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** The first instant the API no longer reads: the end of year 9999, the last a four-digit year shows. */
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

    /** What a date field accepts, for error messages. */
    public static final String EXPECTED = "a date (2024-01-15) or an ISO 8601 timestamp with offset, in the years 1970 to 9999";

    /**
     * Parses a date ({@code 2024-01-15}, meaning 00:00:00Z that day) or a full timestamp with an
     * offset ({@code 2024-01-15T14:32:00Z}, {@code 2024-01-15T16:32:00+02:00}); empty when it is
     * neither, or when it falls outside the years 1970 to 9999 (UTC). The range keeps every parsed
     * instant, and an end date's next midnight, within epoch milliseconds that format back as a
     * four-digit year: {@code +999999999-12-31T23:59:59Z} would overflow {@code toEpochMilli}.
     */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank() || text.length() > 64) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return at.isBefore(EARLIEST) || !at.isBefore(END) ? Optional.empty() : Optional.of(at);
    }
}
