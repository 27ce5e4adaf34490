package dev.linkpulse.enrich;

import com.maxmind.db.CHMCache;
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
                    return geo;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Geolocation lookup failed", e);
            }
        }
        return Geo.UNKNOWN;
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
