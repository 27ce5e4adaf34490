package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.clicks.Click;
import dev.linkpulse.clicks.ClickIds;
import dev.linkpulse.clicks.log.ClickStore;
import dev.linkpulse.clicks.TrafficClass;
import dev.linkpulse.clicks.Utm;
import dev.linkpulse.common.Csv;
import dev.linkpulse.store.Database;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exports ({@code format=csv|ndjson}): they honour {@code since_id}, read the log in keyset pages
 * (each its own read, so clicks stored during a long download still reach its unread part), and a
 * workspace runs at most {@link ClickDetailsApi#MAX_EXPORTS_PER_WORKSPACE} at once.
 */
class ClickExportTest {

    /** Enough bytes (about 30 MB of CSV) that a client that stops reading holds the export mid-way. */
    static final int BIG = 18_000;
    static final String LONG_AGENT = "Mozilla/5.0 " + "x".repeat(1_500);

    static TestServer server;
    static Database db;
    static ClickStore store;
    static String ws;
    static String big;
    static final ClickIds IDS = new ClickIds();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.openStore();
        store = new ClickStore(db.jdbi(), db.dialect());
        big = server.createLink(Map.of("url", "https://example.com/big", "custom_alias", "big")).get("id").asText();
        ws = TestServer.workspaceOf(db, big);
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int from = 0; from < BIG; from += 2_000) {
            List<Click> batch = new ArrayList<>();
            for (int i = from; i < from + 2_000; i++) {
                batch.add(click(big, start + i * 1_000L, i));
            }
            store.insert(batch);
        }
    }

    @AfterAll
    static void stop() {
        db.close();
        server.close();
    }

    static Click click(String link, long at, int n) {
        return new Click(IDS.next(at).toString(), link, ws, at, "https://example.com/x", null, LONG_AGENT, null, null, "direct",
                "DE", null, null, "desktop", "Firefox", "Linux", n % 3 == 0 ? TrafficClass.BOT : TrafficClass.HUMAN, "v" + n % 7,
                new Utm(null, null, null, null, null));
    }

    @Test
    void exportsHonourSinceIdInTheOrderOfTheJsonView() throws Exception {
        String link = server.createLink(Map.of("url", "https://example.com/since", "custom_alias", "since-x")).get("id").asText();
        long now = System.currentTimeMillis();
        List<Click> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(click(link, now - 60_000 + i, i));
        }
        store.insert(first);
        String pivot = first.get(99).id();
        List<Click> late = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            late.add(click(link, now - 5 * 86_400_000L + i, i)); // stored after the pivot, clicked days before it
        }
        store.insert(late);
        long pivotSeq = store.seqOf(dev.linkpulse.clicks.ClickFilter.of(ws), pivot).orElseThrow();
        List<String> expected = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM clicks WHERE link_id = :l AND seq > :s ORDER BY seq DESC")
                .bind("l", link).bind("s", pivotSeq).mapTo(String.class).list());
        assertThat(expected).hasSize(250);

        assertThat(ndjsonIds("/api/v1/analytics/click-details/since-x?format=ndjson&since_id=" + pivot)).isEqualTo(expected);

        Http.Response csv = server.http().get("/api/v1/analytics/click-details/since-x?format=csv&since_id=" + pivot, server.admin());
        List<List<String>> rows = Csv.parse(csv.body()).records();
        assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList()).isEqualTo(expected);

        // The JSON view pages the same clicks in the same order, and a filter narrows both alike.
        JsonNode json = server.http().get("/api/v1/analytics/click-details/since-x?limit=1000&since_id=" + pivot, server.admin())
                .json().get("data");
        List<String> fromJson = new ArrayList<>();
        json.get("data").forEach(c -> fromJson.add(c.get("id").asText()));
        assertThat(fromJson).isEqualTo(expected);
        long bots = server.http().get("/api/v1/analytics/click-details/since-x?format=ndjson&traffic=bot&since_id=" + pivot,
                server.admin()).body().lines().count();
        assertThat(bots).isEqualTo(server.http().get("/api/v1/analytics/click-details/since-x?traffic=bot&since_id=" + pivot,
                server.admin()).json().get("data").get("pagination").get("total").asLong()).isPositive();
    }

    @Test
    void aSinceIdExportReadsPageAfterPageWithoutSkippingOrRepeatingAClick() throws Exception {
        List<String> all = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM clicks WHERE link_id = :l ORDER BY seq")
                .bind("l", big).mapTo(String.class).list());
        String pivot = all.get(1_999);
        List<String> expected = new ArrayList<>(all.subList(2_000, all.size()));
        java.util.Collections.reverse(expected); // newest stored first, as the JSON view pages them
        assertThat(expected).as("more than three export pages").hasSizeGreaterThan(3 * 5_000);

        assertThat(ndjsonIds("/api/v1/analytics/click-details/big?format=ndjson&since_id=" + pivot)).isEqualTo(expected);
    }

    /** The click ids of an NDJSON export, in its order. */
    private static List<String> ndjsonIds(String path) throws Exception {
        Http.Response ndjson = server.http().get(path, server.admin());
        assertThat(ndjson.status()).isEqualTo(200);
        ObjectMapper mapper = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        for (String line : ndjson.body().lines().toList()) {
            ids.add(mapper.readTree(line).get("id").asText());
        }
        return ids;
    }

    @Test
    void aLongExportReadsInPagesSoClicksStoredMidwayReachItsUnreadPart() throws Exception {
        // The rollups are done with the clicks stored so far, so any long transaction seen below is the export's.
        TestServer.await(Duration.ofSeconds(30), () -> db.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM clicks WHERE seq > (SELECT watermark FROM rollup_watermark WHERE id = 1)").mapTo(Long.class).one()) == 0);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/analytics/click-details/big?format=ndjson"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY).GET().build();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lateIds = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        try (InputStream in = r.body()) {
            body.append(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
            Thread.sleep(1_000); // the server fills the buffers and waits, a few pages in at most
            if (TestServer.onPostgres()) {
                // Read committed would see the late clicks below even in one long transaction: ask the
                // server. The download has been held for 2 s; a page read takes milliseconds, so a
                // transaction open for 1.5 s now is one that spans the download.
                Thread.sleep(1_000);
                long open = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM pg_stat_activity
                        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()
                          AND xact_start < now() - interval '1500 milliseconds'""").mapTo(Long.class).one());
                assertThat(open).as("transactions open for more than 1.5 s while the download is held").isZero();
            }
            // Clicks older than all others, stored now: newest-first, they belong at the very end of the
            // export. One read (one transaction or snapshot) for the whole download would never see them.
            List<Click> late = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                late.add(click(big, Instant.parse("2025-06-01T00:00:00Z").toEpochMilli() + i, i));
            }
            store.insert(late);
            late.forEach(c -> lateIds.add(c.id()));
            body.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        for (String line : body.toString().lines().toList()) {
            ids.add(mapper.readTree(line).get("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).hasSize(BIG + lateIds.size());
        assertThat(ids.subList(ids.size() - lateIds.size(), ids.size())).containsExactlyInAnyOrderElementsOf(lateIds);
    }

    /** An export request on a raw socket that reads the status line and then stops reading. */
    static Socket holdExport(String key) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4_096);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        OutputStream out = s.getOutputStream();
        out.write(("GET /api/v1/analytics/click-details/big?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] status = s.getInputStream().readNBytes(12);
        assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return s;
    }

    @Test
    void aWorkspaceRunsTwoExportsAtOnceAndTheThirdGets429() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ClickDetailsApi.MAX_EXPORTS_PER_WORKSPACE; i++) {
                held.add(holdExport(TestServer.ADMIN_KEY));
            }
            Http.Response refused = server.http().get("/api/v1/analytics/click-details/big?format=csv", server.admin());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
            JsonNode error = refused.json();
            assertThat(error.get("success").asBoolean()).isFalse();
            assertThat(error.get("error").get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(error.get("error").get("details").get("limit").asInt()).isEqualTo(ClickDetailsApi.MAX_EXPORTS_PER_WORKSPACE);
            assertThat(error.get("error").get("details").get("remaining").asInt()).isZero();
            assertThat(error.get("error").get("details").get("reset_at").asText()).endsWith("Z");
            assertThat(server.http().get("/api/v1/analytics/click-details/big?format=ndjson", server.admin()).status()).isEqualTo(429);
            // The JSON log is no export, and another workspace has its own exports.
            assertThat(server.http().get("/api/v1/analytics/click-details/big?limit=5", server.admin()).status()).isEqualTo(200);
            String other = server.createKey("other-exporter", "analytics", "export-other");
            assertThat(server.http().get("/api/v1/analytics/click-details?format=csv", server.auth(other)).status()).isEqualTo(200);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        // A client that went away frees its place as soon as the server notices.
        TestServer.await(Duration.ofSeconds(20), () -> {
            Http.Response r = server.http().get("/api/v1/analytics/click-details/big?format=csv&traffic=preview", server.admin());
            return r.status() == 200;
        });
    }
}
