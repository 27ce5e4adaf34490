package dev.linkpulse.enrich;

import dev.linkpulse.common.RandomCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.jdbi.v3.core.Jdbi;

/**
 * Unique visitors without identities: SHA-256 of a daily salt, the client IP and the user agent.
 * The salt of a UTC day is shared by every process through the store and deleted two days later,
 * after which no hash of that day can be recomputed from an IP. Used by the recorder's one thread.
 */
public final class VisitorHasher {

    private final Jdbi jdbi;
    private LocalDate saltDay;
    private byte[] salt;

    public VisitorHasher(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A 32-hex-character hash identifying the visitor within the UTC day of {@code clickedAt}. */
    public String hash(String clientIp, String userAgent, long clickedAt) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(clickedAt), ZoneOffset.UTC);
        byte[] daySalt = saltFor(day);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(daySalt);
            sha.update(String.valueOf(clientIp).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(userAgent).getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest();
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] saltFor(LocalDate day) {
        // Late clicks of an older day (replays) use the newest salt: the old one may be gone.
        if (saltDay != null && !day.isAfter(saltDay)) {
            return salt;
        }
        String key = day.toString();
        salt = jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO visitor_salts (day, salt) VALUES (:day, :salt) ON CONFLICT (day) DO NOTHING")
                    .bind("day", key).bind("salt", RandomCodes.bytes(32)).execute();
            h.createUpdate("DELETE FROM visitor_salts WHERE day < :oldest")
                    .bind("oldest", day.minusDays(1).toString()).execute();
            return h.createQuery("SELECT salt FROM visitor_salts WHERE day = :day")
                    .bind("day", key).mapTo(byte[].class).one();
        });
        saltDay = day;
        return salt;
    }
}
