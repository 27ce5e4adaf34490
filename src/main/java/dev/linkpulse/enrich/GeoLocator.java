package dev.linkpulse.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.db.ClosedDatabaseException;
import com.maxmind.db.Reader;
import dev.linkpulse.common.IpAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP geolocation from MMDB files, in memory. Reads both the GeoIP2/GeoLite2 layout
 * ({@code country.iso_code}, {@code city.names.en}) and the ip-location-db layout
 * ({@code country_code}, {@code city}, {@code state1}) used by the bundled DB-IP database.
 * The first database (most detailed first) that knows the address answers.
 */
public final class GeoLocator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeoLocator.class);
    static final String BUNDLED = "/geo/dbip-country-lite.mmdb";

    private final List<Reader> readers;
    /** How long after its last fault a database counts as failing: a half-written file faults on some lookups only. */
    static final long FAILING_FOR_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** When a lookup last faulted (System.nanoTime), and whether that began an episode not yet logged as over. */
    private volatile long lastFaultNanos;
    private final AtomicBoolean inEpisode = new AtomicBoolean();
    private volatile long lastLogNanos;

    private GeoLocator(List<Reader> readers) {
        this.readers = readers;
    }

    /** Opens the given databases, or the bundled country database when the list is empty. */
    public static GeoLocator open(List<Path> databases) {
        List<Reader> readers = new ArrayList<>();
        try {
            if (databases.isEmpty()) {
                try (InputStream in = GeoLocator.class.getResourceAsStream(BUNDLED)) {
                    if (in == null) {
                        throw new IllegalStateException("bundled geolocation database missing: " + BUNDLED);
                    }
                    readers.add(new Reader(in, new CHMCache()));
                }
            }
            for (Path path : databases) {
                Reader reader = new Reader(path.toFile(), new CHMCache());
                LOG.info("Geolocation database {} ({})", path, reader.getMetadata().databaseType());
                readers.add(reader);
            }
        } catch (IOException e) {
            readers.forEach(GeoLocator::closeQuietly);
            throw new UncheckedIOException("cannot open geolocation database: " + e.getMessage(), e);
        }
        return new GeoLocator(List.copyOf(readers));
    }

    /** Where the address is; {@link Geo#UNKNOWN} for private, loopback and reserved addresses. */
    public Geo locate(InetAddress address) {
        InetAddress ip = IpAddresses.unmap(address);
        if (IpAddresses.isNonPublic(ip)) {
            return Geo.UNKNOWN;
        }
        for (Reader reader : readers) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = reader.get(ip, Map.class);
                Geo geo = record == null ? null : fromRecord(record);
                if (geo != null) {
                    endEpisode();
                    return geo;
                }
            } catch (ClosedDatabaseException e) {
                return Geo.UNKNOWN; // the server is stopping
            } catch (IOException | RuntimeException | InternalError e) {
                // InternalError: a fault reading the memory-mapped file, as when it is cut short or
                // rewritten in place under the running server (`cp new.mmdb` onto it does that). The
                // click is still a click: it goes on without a location, and health says so.
                faulted(e);
            }
        }
        endEpisode();
        return Geo.UNKNOWN;
    }

    /** True while a lookup faulted in the last 10 s; health reports it. */
    public boolean failing() {
        long last = lastFaultNanos;
        return last != 0 && System.nanoTime() - last < FAILING_FOR_NANOS;
    }

    private void faulted(Throwable fault) {
        long now = System.nanoTime();
        lastFaultNanos = now == 0 ? 1 : now;
        // Logged when faults begin, then at most once a minute while they go on.
        if (inEpisode.compareAndSet(false, true) || now - lastLogNanos >= LOG_EVERY_NANOS) {
            lastLogNanos = now;
            LOG.error("Geolocation lookups fault; clicks are stored without a location. Replace the database file by "
                    + "renaming a new one over it, never by writing into it, and restart: {}", fault.toString());
        }
    }

    /** A lookup went through: once no fault is recent, the episode is over, logged once. */
    private void endEpisode() {
        if (inEpisode.get() && !failing() && inEpisode.compareAndSet(true, false)) {
            LOG.info("Geolocation lookups work again");
        }
    }

    private static Geo fromRecord(Map<String, Object> r) {
        String country = text(path(r, "country", "iso_code"));
        if (country == null) {
            country = text(r.get("country_code"));
        }
        if (country == null) {
            return null;
        }
        String city = text(path(r, "city", "names", "en"));
        if (city == null) {
            city = text(r.get("city"));
        }
        String region = null;
        if (r.get("subdivisions") instanceof List<?> subdivisions && !subdivisions.isEmpty()
                && subdivisions.get(0) instanceof Map<?, ?> first) {
            region = text(path(first, "names", "en"));
        }
        if (region == null) {
            region = text(r.get("state1"));
        }
        String timezone = text(path(r, "location", "time_zone"));
        if (timezone == null) {
            timezone = text(r.get("timezone"));
        }
        return new Geo(country.toUpperCase(Locale.ROOT), region, city, timezone);
    }

    private static Object path(Map<?, ?> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        readers.forEach(GeoLocator::closeQuietly);
    }
}
