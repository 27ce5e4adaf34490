package dev.linkpulse.enrich;

import dev.linkpulse.common.RandomCodes;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unique visitors without identities: SHA-256 of a daily salt, the client IP and the user agent.
 * The salt of a UTC day is shared by every process through the store and deleted two days later,
 * after which no hash of that day can be recomputed from an IP. A click is always hashed with the
 * salt of its own day, however late it is processed.
 *
 * <p>The journal thread hashes clicks as they arrive and must never wait for the store, so salts are
 * kept in memory and tomorrow's is fetched ahead (in the background) while the store answers: at
 * midnight, or with the store down, the salt is already at hand. Thread-safe.
 */
public final class VisitorHasher {

    private static final Logger LOG = LoggerFactory.getLogger(VisitorHasher.class);
    /** Between two background fetches that failed. */
    private static final long FETCH_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<LocalDate, byte[]> salts = new ConcurrentHashMap<>();
    /** Salts of days whose stored salt is destroyed: in memory only, never stored (see {@link #saltFor}). */
    private final Map<LocalDate, byte[]> lostDays = new ConcurrentHashMap<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private volatile long nextFetch = System.nanoTime();

    public VisitorHasher(Jdbi jdbi) {
        this(jdbi, Clock.systemUTC());
    }

    public VisitorHasher(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A 32-hex-character hash identifying the visitor within the UTC day of {@code clickedAt}; may ask the store. */
    public String hash(String clientIp, String userAgent, long clickedAt) {
        return digest(saltFor(dayOf(clickedAt)), String.valueOf(clientIp), userAgent);
    }

    /**
     * The hash, when the salt of the click's day is in memory; empty otherwise (the caller keeps the
     * IP for {@link #hash}). Never waits for the store; starts fetching the salts of today and
     * tomorrow in the background when one is missing.
     */
    public Optional<String> hashIfSaltAtHand(String clientIp, String userAgent, long clickedAt) {
        LocalDate day = dayOf(clickedAt);
        byte[] salt = salts.get(day);
        if (salt == null || !salts.containsKey(day.plusDays(1))) {
            fetchAhead();
        }
        return salt == null ? Optional.empty() : Optional.of(digest(salt, String.valueOf(clientIp), userAgent));
    }

    /**
     * For a click journaled without a hash by a process that crashed, whose full IP is gone: the
     * masked IP stands in. The same visitor keeps one identity among such clicks; it differs from
     * the identity its other clicks got (documented in docs/RELIABILITY.md).
     */
    public String hashMasked(String maskedIp, String userAgent, long clickedAt) {
        return digest(saltFor(dayOf(clickedAt)), "masked:" + maskedIp, userAgent);
    }

    /** Fetches (creating when needed) the salts of today and tomorrow now; called at start, when the store answers. */
    public void prepare() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        // Through the store even when today's salt is in memory (fetched ahead yesterday): this is
        // where a long-running process destroys the salts before yesterday's, once a day.
        fetchFromStore(today, true);
        fetchFromStore(today.plusDays(1), false);
    }

    private void fetchAhead() {
        if (System.nanoTime() - nextFetch < 0 || !fetching.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("visitor-salts").start(() -> {
            try {
                prepare();
            } catch (RuntimeException e) {
                nextFetch = System.nanoTime() + FETCH_RETRY_NANOS;
                LOG.debug("Fetching visitor salts ahead failed; clicks keep their sealed IP meanwhile: {}", e.toString());
            } finally {
                fetching.set(false);
            }
        });
    }

    private static LocalDate dayOf(long clickedAt) {
        // The UTC day, as LocalDate.ofInstant(Instant.ofEpochMilli(clickedAt), UTC) gives it, without the Instant.
        return LocalDate.ofEpochDay(Math.floorDiv(clickedAt, 86_400_000L));
    }

    private byte[] saltFor(LocalDate day) {
        byte[] salt = salts.get(day);
        if (salt != null) {
            return salt;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (day.isBefore(today.minusDays(1))) {
            // That day's salt is destroyed (or must be, by now): never re-create it in the store. Such
            // late clicks share a salt of their own, so they still count visitors among themselves.
            return lostDays.computeIfAbsent(day, d -> RandomCodes.bytes(32));
        }
        return fetchFromStore(day, true);
    }

    /** The stored salt of {@code day}, created when missing; {@code prune} deletes salts older than yesterday's. */
    private byte[] fetchFromStore(LocalDate day, boolean prune) {
        String key = day.toString();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        // Relative to the newer of today and the day asked for, so a salt fetched ahead for tomorrow
        // never deletes yesterday's, which late clicks still need.
        LocalDate oldestKept = (day.isAfter(today) ? day : today).minusDays(1);
        byte[] salt = jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO visitor_salts (day, salt) VALUES (:day, :salt) ON CONFLICT (day) DO NOTHING")
                    .bind("day", key).bind("salt", RandomCodes.bytes(32)).execute();
            if (prune) {
                h.createUpdate("DELETE FROM visitor_salts WHERE day < :oldest").bind("oldest", oldestKept.toString()).execute();
            }
            return h.createQuery("SELECT salt FROM visitor_salts WHERE day = :day")
                    .bind("day", key).mapTo(byte[].class).one();
        });
        salts.put(day, salt);
        if (prune) {
            salts.keySet().removeIf(d -> d.isBefore(oldestKept));
            lostDays.keySet().removeIf(d -> d.isBefore(today.minusDays(7)));
        }
        return salt;
    }

    /** A digester nobody is using; taken while hashing, so concurrent callers each get their own. */
    private static final AtomicReference<Digester> SPARE = new AtomicReference<>();

    /**
     * SHA-256 of the salt, the IP's UTF-8 bytes, a zero byte and the user agent's UTF-8 bytes
     * ({@code "null"} for none); its first 16 bytes as lowercase hex. Nearly every click is hashed on
     * the journal thread (request threads too, for an A/B test's sticky variant), so one spare
     * digester is reused and this allocates only the resulting string. The bytes
     * digested never change, so hashes stored by any version stay comparable.
     */
    static String digest(byte[] salt, String ip, String userAgent) {
        Digester d = SPARE.getAndSet(null);
        if (d == null) {
            d = new Digester(); // first use, or another thread holds the spare
        }
        String hash = d.digest(salt, ip, String.valueOf(userAgent));
        SPARE.set(d);
        return hash;
    }

    /** A SHA-256 state with scratch arrays, reused from hash to hash; one thread at a time. */
    private static final class Digester {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private final MessageDigest sha;
        /** ASCII text goes through here (IPs, nearly every user agent) instead of a new array per string. */
        private final byte[] scratch = new byte[256];
        private final byte[] sum = new byte[32];
        private final byte[] hex = new byte[32];

        Digester() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String digest(byte[] salt, String ip, String userAgent) {
            sha.reset();
            sha.update(salt);
            update(ip);
            sha.update((byte) 0);
            update(userAgent);
            try {
                sha.digest(sum, 0, sum.length);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < 16; i++) {
                hex[2 * i] = HEX[(sum[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[sum[i] & 0xf];
            }
            return new String(hex, StandardCharsets.ISO_8859_1);
        }

        /** Digests the UTF-8 bytes of {@code s}: for ASCII text each char is its byte; anything else as getBytes encodes it. */
        private void update(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    sha.update(s.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            for (int from = 0; from < s.length(); from += scratch.length) {
                int n = Math.min(scratch.length, s.length() - from);
                for (int i = 0; i < n; i++) {
                    scratch[i] = (byte) s.charAt(from + i);
                }
                sha.update(scratch, 0, n);
            }
        }
    }
}
