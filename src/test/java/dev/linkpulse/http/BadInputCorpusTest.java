package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hundreds of hostile or broken requests across the API. Each must get a 4xx with the error
 * envelope (naming the field where one is to blame), store nothing, inject no header, and leave
 * the server healthy.
 */
class BadInputCorpusTest {

    static TestServer server;
    static String linkId;
    static String webhookId; // --- webhooks (issue 18) ---
    static final String ALIAS = "corpus-link";

    /** One request and what must come back: a status class or exact status, and the field named (or null). */
    record Case(String name, String method, String path, String contentType, byte[] body, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        linkId = server.createLink(Map.of("url", "https://example.com/corpus", "custom_alias", ALIAS)).get("id").asText();
        // --- webhooks (issue 18) --- (link.created: the corpus creates no link, so nothing is ever sent)
        webhookId = server.http().postJson("/api/v1/webhooks/subscriptions", Http.json(Map.of("event_type", "link.created",
                "target_url", "https://93.184.215.14/corpus")), server.admin()).json().get("data").get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        server.close();
    }

    static Case json(String name, String method, String path, String body, int status, String field) {
        return new Case(name, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8), status, field);
    }

    static Case get(String name, String path, int status, String field) {
        return new Case(name, "GET", path, null, null, status, field);
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    static final String[] CONTROL = {"\r\nX-Injected: yes", "\n", "\r", "\u0000", "\u0007", "\u001b[31m", "\u007f", "\tx\r\n\r\n<html>"};
    static final String[] OUT_OF_RANGE_DATES = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
            "+10000-01-01", "1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00", "0001-01-01", "1969-12-31"};
    static final String[] HOSTILE_IDS = {"' OR 1=1--", "1; DROP TABLE short_urls", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
            "%00", "\u0000", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "a".repeat(5_000), "ÿþ", "🙂", "00000000-0000-0000-0000-000000000000",
            "SELECT * FROM clicks", "\" OR \"\"=\"", "%", "*", "null", "undefined", "-1", "9".repeat(40)};

    static Stream<Case> corpus() {
        List<Case> c = new ArrayList<>();
        String links = "/api/v1/short-urls";
        // Malformed JSON
        String[] broken = {"{", "[", "}", "{\"url\":}", "{\"url\": \"https://a.example\",}", "{'url': 'https://a.example'}", "nul",
                "{\"url\": \"https://a.example\"} trailing", "[".repeat(100_000), "{\"url\": \"\\uZZZZ\"}", "\"just a string\"", "42", "null",
                "[{\"url\": \"https://a.example\"}]", "", " ", "{\"url\": \"https://a.example\", \"url\": \"https://b.example\"}"};
        for (int i = 0; i < broken.length; i++) {
            c.add(json("malformed json #" + i, "POST", links, broken[i], 400, null));
        }
        // Huge body
        c.add(json("body over 1 MiB", "POST", links, "{\"name\": \"" + "x".repeat(1_100_000) + "\"}", 413, null));
        // Wrong content types
        for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "image/png"}) {
            c.add(new Case("content type " + type, "POST", links, type, "{\"url\": \"https://a.example\"}".getBytes(StandardCharsets.UTF_8), 415, null));
        }
        c.add(new Case("no content type", "POST", links, null, "{\"url\": \"https://a.example\"}".getBytes(StandardCharsets.UTF_8), 415, null));
        // Invalid UTF-8
        byte[][] badUtf8 = {{(byte) 0xc3, 0x28}, {(byte) 0xa0, (byte) 0xa1}, {(byte) 0xe2, 0x28, (byte) 0xa1}, {(byte) 0xf0, 0x28, (byte) 0x8c, 0x28},
                {(byte) 0xff, (byte) 0xfe}, {(byte) 0xc0, (byte) 0xaf}};
        for (int i = 0; i < badUtf8.length; i++) {
            byte[] head = "{\"url\": \"https://a.example/".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + badUtf8[i].length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(badUtf8[i], 0, body, head.length, badUtf8[i].length);
            System.arraycopy(tail, 0, body, head.length + badUtf8[i].length, tail.length);
            c.add(new Case("invalid utf-8 #" + i, "POST", links, "application/json", body, 400, null));
        }
        // Control characters and CRLF in every string field, on create and on update
        for (String ctl : CONTROL) {
            String esc = Http.json(ctl);
            esc = esc.substring(1, esc.length() - 1);
            c.add(json("create url with " + Http.json(ctl), "POST", links, "{\"url\": \"https://a.example/" + esc + "\"}", 400, "url"));
            c.add(json("create alias with " + Http.json(ctl), "POST", links, "{\"url\": \"https://a.example\", \"custom_alias\": \"ab" + esc + "\"}", 400, "custom_alias"));
            c.add(json("create name with " + Http.json(ctl), "POST", links, "{\"url\": \"https://a.example\", \"name\": \"n" + esc + "\"}", 400, "name"));
            c.add(json("update url with " + Http.json(ctl), "PATCH", links + "/" + linkId, "{\"url\": \"https://a.example/" + esc + "\"}", 400, "url"));
            c.add(json("update alias with " + Http.json(ctl), "PATCH", links + "/" + linkId, "{\"custom_alias\": \"ab" + esc + "\"}", 400, "custom_alias"));
            c.add(json("update name with " + Http.json(ctl), "PATCH", links + "/" + linkId, "{\"name\": \"n" + esc + "\"}", 400, "name"));
            c.add(json("key name with " + Http.json(ctl), "POST", "/api/v1/api-keys", "{\"name\": \"k" + esc + "\", \"permissions\": [\"read\"]}", 400, "name"));
        }
        // Bad destinations
        String[] badUrls = {"javascript:alert(1)", "ftp://a.example/x", "http://user:pass@a.example/", "https://", "//a.example", "a.example",
                "file:///etc/passwd", "data:text/html,hi", "https://a.example/" + "x".repeat(8_200), "http://[::1", "https://a b.example/",
                "http://localhost:8080/" + ALIAS, ""};
        for (String u : badUrls) {
            c.add(json("create with url " + abbreviate(u), "POST", links, "{\"url\": " + Http.json(u) + "}", 400, "url"));
        }
        // Wrong JSON types and absurd values
        String[][] types = {{"url", "42"}, {"url", "[\"https://a.example\"]"}, {"url", "{\"x\": 1}"}, {"url", "true"}, {"url", "null"},
                {"name", "42"}, {"name", "\"\""}, {"name", Http.json("n".repeat(256))}, {"custom_alias", "12"}, {"custom_alias", "\"ab\""},
                {"custom_alias", Http.json("a".repeat(51))}, {"custom_alias", "\"has space\""}, {"custom_alias", "\"ünïcode\""}, {"custom_alias", "\"a/b\""},
                {"expires_at", "\"yesterday\""}, {"expires_at", "\"99999-01-01\""}, {"expires_at", "1e309"}, {"expires_at", "\"2020-01-01T00:00:00Z\""},
                {"expires_at", "\"2026-02-30\""}, {"tracking_enabled", "\"yes\""}, {"tracking_enabled", "3"}, {"is_dynamic", "\"true\""},
                {"is_dynamic", "[]"}, {"forward_query", "\"no\""}};
        for (String[] t : types) {
            String body = t[0].equals("url") ? "{\"url\": " + t[1] + "}" : "{\"url\": \"https://a.example\", \"" + t[0] + "\": " + t[1] + "}";
            c.add(json("create " + t[0] + "=" + abbreviate(t[1]), "POST", links, body, 400, t[0]));
        }
        // Dates outside the years 1970 to 9999 (epoch milliseconds overflow at +999999999): a 400 naming the field, never a 500
        for (String date : OUT_OF_RANGE_DATES) {
            c.add(json("create expires_at=" + date, "POST", links, "{\"url\": \"https://a.example\", \"expires_at\": \"" + date + "\"}", 400, "expires_at"));
            c.add(json("update expires_at=" + date, "PATCH", links + "/" + linkId, "{\"expires_at\": \"" + date + "\"}", 400, "expires_at"));
            c.add(json("api key expires_at=" + date, "POST", "/api/v1/api-keys",
                    "{\"name\": \"k\", \"permissions\": [\"read\"], \"expires_at\": \"" + date + "\"}", 400, "expires_at"));
            for (String param : new String[] {"startDate", "start_date", "endDate", "end_date"}) {
                c.add(get("click log " + param + "=" + date, "/api/v1/analytics/click-details/" + linkId + "?" + param + "=" + q(date), 400, param));
                c.add(get("click log csv " + param + "=" + date, "/api/v1/analytics/click-details/" + linkId + "?format=csv&" + param + "=" + q(date), 400, param));
                c.add(get("core metrics " + param + "=" + date, "/api/v1/analytics/analytics/" + linkId + "?" + param + "=" + q(date), 400, param));
                c.add(get("timeseries " + param + "=" + date, "/api/v1/analytics/timeseries/" + linkId + "?" + param + "=" + q(date), 400, param));
                c.add(get("breakdown " + param + "=" + date, "/api/v1/analytics/breakdown?by=country&" + param + "=" + q(date), 400, param));
                c.add(get("referrers custom " + param + "=" + date, "/api/v1/analytics/referrers?dateRange=custom&" + param + "=" + q(date), 400, param));
                c.add(get("stream " + param + "=" + date, "/api/v1/analytics/click-stream/" + linkId + "?" + param + "=" + q(date), 400, param));
            }
            for (String param : new String[] {"start_date", "startDate", "end_date", "endDate"}) {
                c.add(get("list " + param + "=" + date, links + "?" + param + "=" + q(date), 400, param));
            }
        }
        c.add(json("reserved alias", "POST", links, "{\"url\": \"https://a.example\", \"custom_alias\": \"dashboard\"}", 409, "custom_alias"));
        c.add(json("taken alias", "POST", links, "{\"url\": \"https://a.example\", \"custom_alias\": \"" + ALIAS + "\"}", 409, "custom_alias"));
        c.add(json("missing url", "POST", links, "{\"name\": \"no url\"}", 400, "url"));
        // Hostile ids in every path that takes one
        for (String id : HOSTILE_IDS) {
            String e = q(id);
            // A NUL byte in a path is refused by the HTTP layer itself; every other id is simply not found.
            int status = id.equals("\u0000") ? 400 : 404;
            String field = id.equals("\u0000") ? "path" : null;
            c.add(get("get link " + abbreviate(id), links + "/" + e, status, field));
            c.add(new Case("delete link " + abbreviate(id), "DELETE", links + "/" + e, null, null, status, field));
            c.add(json("patch link " + abbreviate(id), "PATCH", links + "/" + e, "{\"name\": \"x\"}", status, field));
            c.add(get("click log of " + abbreviate(id), "/api/v1/analytics/click-details/" + e, status, field));
            c.add(get("core metrics of " + abbreviate(id), "/api/v1/analytics/analytics/" + e, status, field));
            c.add(get("breakdown of " + abbreviate(id), "/api/v1/analytics/breakdown/" + e + "?by=country", status, field));
        }
        // Query parameters: bad values, SQL, duplicates
        String log = "/api/v1/analytics/click-details/" + linkId;
        String[][] params = {{"limit", "-1"}, {"limit", "0"}, {"limit", "abc"}, {"limit", "1e9"}, {"limit", "99999999999999999999"}, {"limit", "1001"},
                {"offset", "-5"}, {"offset", "x"}, {"offset", "99999999999999999999"}, {"startDate", "2026-13-45"}, {"startDate", "yesterday"},
                {"start_date", "2026-02-30"}, {"endDate", "0000-00-00"}, {"end_date", "2026-01-01T25:00:00Z"}, {"country", "USA"},
                {"country", "' OR 1=1--"}, {"country", "1"}, {"device_type", "toaster"}, {"source", "moon"}, {"traffic", "robots"},
                {"cursor", "garbage"}, {"cursor", "MTp4Onk="}, {"since_id", "not-a-uuid"}, {"since_id", "' OR 1=1--"}, {"format", "xlsx"},
                {"city", "x".repeat(300)}, {"browser", "a\u0000b"}, {"os", "x".repeat(200)}, {"referrer_domain", "d".repeat(300)}};
        for (String[] p : params) {
            c.add(get("click log " + p[0] + "=" + abbreviate(p[1]), log + "?" + p[0] + "=" + q(p[1]), 400, p[0]));
        }
        for (String dup : new String[] {"limit", "offset", "country", "startDate", "traffic", "format"}) {
            String v = switch (dup) {
                case "limit", "offset" -> "1";
                case "country" -> "US";
                case "startDate" -> "2026-01-01";
                case "traffic" -> "all";
                default -> "csv";
            };
            c.add(get("duplicate " + dup, log + "?" + dup + "=" + v + "&" + dup + "=" + v, 400, dup));
        }
        c.add(get("end before start", log + "?startDate=2026-05-02&endDate=2026-05-01", 400, "endDate"));
        c.add(get("cursor and offset together", log + "?cursor=x&offset=5", 400, null));
        String[][] analytics = {{"breakdown?by=", "by"}, {"breakdown?by=password", "by"}, {"breakdown?by=country%3BDROP", "by"},
                {"breakdown?by=country&limit=0", "limit"}, {"breakdown?by=country&limit=100000", "limit"}, {"breakdown?by=hour_of_day&timezone=Mars/Phobos", "timezone"},
                {"breakdown?by=hour_of_day&timezone=" + q("../../etc/passwd"), "timezone"}, {"breakdown?by=country&traffic=x", "traffic"},
                {"timeseries?interval=year", "interval"}, {"timeseries?interval=minute&startDate=2020-01-01", "interval"},
                {"timeseries?timezone=" + q("x".repeat(100)), "timezone"}, {"referrers?days=0", "days"}, {"referrers?days=366", "days"},
                {"referrers?dateRange=forever", "dateRange"}, {"user-traffic-sources?dateRange=last_century", "dateRange"},
                {"recent?limit=0", "limit"}, {"recent?limit=101", "limit"}, {"analytics/" + linkId + "?groupBy=minute", "groupBy"},
                {"analytics/" + linkId + "?group_by=year", "groupBy"}, {"geographic/" + linkId + "?country=XXX", "country"},
                {"traffic-quality/" + linkId + "?startDate=nope", "startDate"}, {"click-stream/" + linkId + "?traffic=x", "traffic"}};
        for (String[] a : analytics) {
            c.add(get("analytics " + abbreviate(a[0]), "/api/v1/analytics/" + a[0], 400, a[1]));
        }
        String[][] listParams = {{"page", "0"}, {"page", "-1"}, {"page", "x"}, {"limit", "101"}, {"limit", "0"}, {"sort", "password"},
                {"sort", "created_at;DROP"}, {"order", "sideways"}, {"status", "deleted"}, {"start_date", "never"}, {"search", "s".repeat(600)}};
        for (String[] p : listParams) {
            c.add(get("list " + p[0] + "=" + abbreviate(p[1]), links + "?" + p[0] + "=" + q(p[1]), 400, p[0]));
        }
        c.add(get("check-alias without alias", links + "/check-alias", 400, "alias"));
        c.add(get("check-alias with CRLF", links + "/check-alias?alias=" + q("a\r\nb"), 400, "alias"));
        // API keys
        String[] keyBodies = {"{\"permissions\": [\"read\"]}", "{\"name\": \"k\"}", "{\"name\": \"k\", \"permissions\": \"read\"}",
                "{\"name\": \"k\", \"permissions\": []}", "{\"name\": \"k\", \"permissions\": [\"root\"]}", "{\"name\": \"k\", \"permissions\": [1]}",
                "{\"name\": \"k\", \"permissions\": [\"read\"], \"expires_at\": \"2001-01-01\"}", "{\"name\": \"k\", \"permissions\": [\"read\"], \"expires_at\": \"soon\"}",
                "{\"name\": \"" + "k".repeat(300) + "\", \"permissions\": [\"read\"]}"};
        String[] keyFields = {"name", "permissions", "permissions", "permissions", "permissions", "permissions", "expires_at", "expires_at", "name"};
        for (int i = 0; i < keyBodies.length; i++) {
            c.add(json("api key body #" + i, "POST", "/api/v1/api-keys", keyBodies[i], 400, keyFields[i]));
        }
        // Bulk import
        c.add(json("bulk without content", "POST", "/api/v1/bulk-urls/validate", "{}", 400, null));
        c.add(json("bulk csv without url column", "POST", "/api/v1/bulk-urls/validate", "{\"csv_content\": \"name\\nx\"}", 400, null));
        // Multipart bodies that cannot be parsed are bad requests, not oversized ones
        String boundary = "corpus-boundary";
        String mp = "multipart/form-data; boundary=" + boundary;
        String[] brokenMultipart = {"", "garbage", "--" + boundary + "\r\n", "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nurl\n",
                "--other\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nurl\r\n--other--\r\n",
                "--" + boundary + "\r\nno headers at all\r\n--" + boundary + "--\r\n"};
        for (int i = 0; i < brokenMultipart.length; i++) {
            for (String bulk : new String[] {"/api/v1/bulk-urls/validate", "/api/v1/bulk-urls/create"}) {
                c.add(new Case("broken multipart #" + i + " on " + bulk, "POST", bulk, mp, brokenMultipart[i].getBytes(StandardCharsets.UTF_8), 400, "file"));
            }
        }
        c.add(new Case("multipart without a boundary", "POST", "/api/v1/bulk-urls/validate", "multipart/form-data",
                "--x\r\n\r\n".getBytes(StandardCharsets.UTF_8), 400, "file"));
        byte[] huge = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nurl\n"
                + "x".repeat(7 * 1024 * 1024) + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        c.add(new Case("multipart file over the part limit", "POST", "/api/v1/bulk-urls/validate", mp, huge, 413, null));
        c.add(json("bulk validated_urls not a list", "POST", "/api/v1/bulk-urls/create", "{\"validated_urls\": \"x\"}", 400, null));
        // --- webhooks (issue 18) ---
        String hooks = "/api/v1/webhooks/subscriptions";
        String okTarget = "\"target_url\": \"https://93.184.215.14/h\"";
        for (int i = 0; i < broken.length; i++) {
            if (!broken[i].startsWith("[[[")) {
                c.add(json("webhooks: malformed json #" + i, "POST", hooks, broken[i], 400, null));
            }
        }
        c.add(new Case("webhooks: text/plain", "POST", hooks, "text/plain", ("{\"event_type\": \"link.clicked\", " + okTarget + "}")
                .getBytes(StandardCharsets.UTF_8), 415, null));
        String[][] hookBodies = {
                {"{" + okTarget + "}", "event_type"},
                {"{\"event_type\": \"link.clicked\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"colour\": \"red\"}", "colour"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"eventType\": \"link.created\"}", "eventType"},
                {"{\"event_type\": \"link.deleted\", " + okTarget + "}", "event_type"},
                {"{\"event_type\": 7, " + okTarget + "}", "event_type"},
                {"{\"event_type\": [\"link.clicked\"], " + okTarget + "}", "event_type"},
                {"{\"event_type\": \"qr.created\", " + okTarget + ", \"short_code\": \"" + ALIAS + "\"}", "short_code"},
                {"{\"event_type\": \"qr.scanned\", " + okTarget + ", \"qr_code_id\": \"nope\"}", "qr_code_id"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"qr_code_id\": \"00000000-0000-4000-8000-000000000000\"}", "qr_code_id"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"http://127.0.0.1/h\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"http://169.254.169.254/latest/meta-data/\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"http://[::ffff:10.0.0.1]/\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"http://[fd00:ec2::254]/\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"http://100.100.100.200/\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"file:///etc/passwd\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": \"https://93.184.215.14/" + "x".repeat(3000) + "\"}", "target_url"},
                {"{\"event_type\": \"link.clicked\", \"target_url\": {}}", "target_url"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"filters\": []}", "filters"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"filters\": {\"ip\": \"1.2.3.4\"}}", "filters.ip"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"filters\": {\"country\": [1]}}", "filters.country"},
                {"{\"event_type\": \"link.clicked\", " + okTarget + ", \"filters\": {\"country\": []}}", "filters.country"},
                {"{\"event_type\": \"link.created\", " + okTarget + ", \"short_code\": \"" + ALIAS + "\"}", "short_code"}};
        for (int i = 0; i < hookBodies.length; i++) {
            c.add(json("webhooks: body #" + i, "POST", hooks, hookBodies[i][0], 400, hookBodies[i][1]));
        }
        for (String ctl : CONTROL) {
            String esc = Http.json(ctl);
            esc = esc.substring(1, esc.length() - 1);
            c.add(json("webhooks: target_url with " + Http.json(ctl), "POST", hooks,
                    "{\"event_type\": \"link.clicked\", \"target_url\": \"https://93.184.215.14/" + esc + "\"}", 400, "target_url"));
        }
        for (String hostile : HOSTILE_IDS) {
            c.add(json("webhooks: short_code " + abbreviate(hostile), "POST", hooks, "{\"event_type\": \"link.clicked\", " + okTarget
                    + ", \"short_code\": " + Http.json(hostile) + "}", 400, "short_code"));
            boolean nul = hostile.equals("\u0000"); // refused by the HTTP layer itself, as for links
            c.add(get("webhooks: deliveries of " + abbreviate(hostile), hooks + "/" + q(hostile) + "/deliveries", nul ? 400 : 404,
                    nul ? "path" : null));
        }
        for (String[] p : new String[][] {{"limit", "0"}, {"limit", "101"}, {"limit", "x"}, {"page", "0"}, {"page", "-1"}, {"status", "lost"}}) {
            c.add(new Case("webhooks: deliveries " + p[0] + "=" + p[1], "GET", hooks + "/{webhook}/deliveries?" + p[0] + "=" + q(p[1]),
                    null, null, 400, p[0]));
        }
        c.add(new Case("webhooks: retry with a body field", "POST", hooks + "/{webhook}/retry", "application/json",
                "{\"force\": true}".getBytes(StandardCharsets.UTF_8), 400, "force"));
        c.add(new Case("webhooks: retry of an unknown delivery", "POST", hooks + "/{webhook}/deliveries/msg_nope/retry", null, null, 404, null));
        // Authentication
        c.add(new Case("no key", "GET", links + "#nokey", null, null, 401, null));
        c.add(new Case("bogus key", "GET", links + "#bogus", null, null, 401, null));
        c.add(new Case("key with CRLF", "GET", links + "#crlf", null, null, 401, null));
        // --- QR codes (issue 15) ---
        String gen = "/api/v1/qr-codes/generate";
        String u = "\"content_type\":\"url\",\"content_data\":{\"url\":\"https://a.example/\"}";
        c.add(json("qr malformed json", "POST", gen, "{\"content_type\":", 400, null));
        c.add(new Case("qr text/plain body", "POST", gen, "text/plain", ("{" + u + "}").getBytes(StandardCharsets.UTF_8), 415, null));
        c.add(json("qr no content_type", "POST", gen, "{\"content_data\":{\"text\":\"x\"}}", 400, "content_type"));
        c.add(json("qr content_type number", "POST", gen, "{\"content_type\":7,\"content_data\":{}}", 400, "content_type"));
        c.add(json("qr unknown content_type", "POST", gen, "{\"content_type\":\"fax\",\"content_data\":{}}", 400, "content_type"));
        c.add(json("qr content_data list", "POST", gen, "{\"content_type\":\"text\",\"content_data\":[]}", 400, "content_data"));
        c.add(json("qr unknown top field", "POST", gen, "{" + u + ",\"shape\":\"dots\"}", 400, "shape"));
        c.add(json("qr unknown content field", "POST", gen, "{\"content_type\":\"url\",\"content_data\":{\"href\":\"https://a.example\"}}",
                400, "content_data.href"));
        c.add(json("qr javascript url", "POST", gen, "{\"content_type\":\"url\",\"content_data\":{\"url\":\"javascript:alert(1)\"}}",
                400, "content_data.url"));
        c.add(json("qr dynamic url at ourselves", "POST", gen, "{\"content_type\":\"url\",\"content_data\":{\"url\":\"ftp://x\"},"
                + "\"is_dynamic\":true}", 400, "content_data.url"));
        c.add(json("qr dynamic text", "POST", gen, "{\"content_type\":\"text\",\"content_data\":{\"text\":\"x\"},\"is_dynamic\":true}",
                400, "content_type"));
        c.add(json("qr is_dynamic string", "POST", gen, "{" + u + ",\"is_dynamic\":\"yes\"}", 400, "is_dynamic"));
        c.add(json("qr text too long", "POST", gen, "{\"content_type\":\"text\",\"content_data\":{\"text\":\"" + "x".repeat(5_000)
                + "\"}}", 400, "content_data.text"));
        for (String ctl : CONTROL) {
            c.add(json("qr control in name " + abbreviate(ctl), "POST", gen, "{" + u + ",\"name\":" + Http.json(ctl) + "}", 400, "name"));
        }
        for (String colour : new String[] {"red", "#12", "#1234567", "rgb(0,0,0)", "#gggggg", ""}) {
            c.add(json("qr colour " + colour, "POST", gen, "{" + u + ",\"visual_settings\":{\"foregroundColor\":\"" + colour + "\"}}",
                    400, "visual_settings.foregroundColor"));
        }
        c.add(json("qr white on white", "POST", gen, "{" + u + ",\"visual_settings\":{\"foregroundColor\":\"#ffffff\"}}", 400,
                "visual_settings.foregroundColor"));
        for (String size : new String[] {"0", "63", "2049", "-1", "1e9", "99999999999999999999", "\"300\"", "300.5"}) {
            c.add(json("qr size " + size, "POST", gen, "{" + u + ",\"visual_settings\":{\"size\":" + size + "}}", 400, "visual_settings.size"));
        }
        c.add(json("qr margin 99", "POST", gen, "{" + u + ",\"visual_settings\":{\"margin\":99}}", 400, "visual_settings.margin"));
        c.add(json("qr level Z", "POST", gen, "{" + u + ",\"visual_settings\":{\"errorCorrectionLevel\":\"Z\"}}", 400,
                "visual_settings.errorCorrectionLevel"));
        for (String logo : new String[] {"http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "data:text/plain;base64,aGk=",
                "data:image/png;base64,!!!", "data:image/png;base64,AAAA"}) {
            c.add(json("qr logo " + abbreviate(logo), "POST", gen, "{" + u + ",\"visual_settings\":{\"logoUrl\":\"" + logo + "\"}}", 400,
                    "visual_settings.logoUrl"));
        }
        c.add(json("qr location out of range", "POST", gen, "{\"content_type\":\"location\",\"content_data\":{\"latitude\":200,"
                + "\"longitude\":0}}", 400, "content_data.latitude"));
        c.add(json("qr password", "POST", gen, "{" + u + ",\"password\":\"x\"}", 400, "password"));
        for (String id : HOSTILE_IDS) {
            if (!id.contains("\u0000") && !id.equals("%00")) {
                c.add(get("qr hostile id " + abbreviate(id), "/api/v1/qr-codes/" + q(id), 404, null));
                c.add(get("qr image hostile id " + abbreviate(id), "/api/v1/qr-codes/" + q(id) + "/image", 404, null));
            }
        }
        String lq = "/api/v1/short-urls/" + ALIAS + "/qr";
        for (String[] bad : new String[][] {{"size", "63"}, {"size", "2049"}, {"size", "abc"}, {"size", "1e3"}, {"format", "gif"},
                {"format", "PNG\r\nX-Injected: yes"}, {"foregroundColor", "black"}, {"backgroundColor", "#00000"}, {"margin", "-1"},
                {"errorCorrectionLevel", "Z"}}) {
            c.add(get("link qr " + bad[0] + "=" + abbreviate(bad[1]), lq + "?" + bad[0] + "=" + q(bad[1]), 400, bad[0]));
        }
        for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "101"}, {"page", "0"}, {"qrType", "x"}, {"sortBy", "x"},
                {"sortOrder", "sideways"}, {"dateRange", "forever"}, {"search", "s".repeat(300)}}) {
            c.add(get("qr list " + bad[0] + "=" + abbreviate(bad[1]), "/api/v1/qr-codes?" + bad[0] + "=" + q(bad[1]), 400, bad[0]));
        }
        // --- smart links (issue 17) ---
        String rules = links + "/" + ALIAS + "/rules";
        String rule = "{\"destination_url\": \"https://a.example/\", \"conditions\": [%s]}";
        String[][] badRules = {
                {"{", null}, {"[]", null}, {"{}", "rules"}, {"{\"rules\": null}", "rules"}, {"{\"rules\": \"x\"}", "rules"},
                {"{\"rules\": [], \"other\": 1}", "other"}, {"{\"rules\": [null]}", "rules[0]"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"os\", \"value\": \"iOS\"}").replace("https://a.example/",
                        "https://a.example/\\r\\nX-Injected: yes") + "]}", "rules[0].destination_url"},
                {"{\"rules\": [" + rule.formatted("") + "]}", "rules[0].conditions"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"os\", \"value\": \"a\\u0000b\"}") + "]}", "rules[0].conditions[0].value"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"' OR 1=1--\", \"value\": \"x\"}") + "]}", "rules[0].conditions[0].type"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"after\", \"value\": \"+999999999-12-31T23:59:59Z\"}") + "]}",
                        "rules[0].conditions[0].value"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"language\", \"value\": \"<script>\"}") + "]}",
                        "rules[0].conditions[0].value"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"query\", \"key\": \"" + "k".repeat(200) + "\", \"value\": \"x\"}")
                        + "]}", "rules[0].conditions[0].key"},
                {"{\"rules\": [" + rule.formatted("{\"type\": \"os\", \"value\": \"" + "v".repeat(300) + "\"}") + "]}",
                        "rules[0].conditions[0].value"},
                {"{\"rules\": [" + (rule.formatted("{\"type\": \"os\", \"value\": \"x\"}") + ",").repeat(51) + rule.formatted(
                        "{\"type\": \"os\", \"value\": \"x\"}") + "]}", "rules"}};
        for (int i = 0; i < badRules.length; i++) {
            c.add(json("rules body #" + i, "PUT", rules, badRules[i][0], 400, badRules[i][1]));
        }
        String[][] badLinkFields = {
                {"\"max_clicks\": 0", "max_clicks"}, {"\"max_clicks\": \"5\"", "max_clicks"}, {"\"max_clicks\": 1e30", "max_clicks"},
                {"\"max_clicks\": 5, \"fallback_url\": \"javascript:alert(1)\"", "fallback_url"},
                {"\"fallback_url\": \"https://a.example/\\u0000\"", "fallback_url"},
                {"\"password\": \"short\"", "password"}, {"\"password\": \"123456789\"", "password"},
                {"\"password\": \"" + "p".repeat(65) + "\"", "password"}, {"\"password\": [\"x\"]", "password"},
                {"\"password\": \"abcdefgh\\r\\nX-Injected: yes\"", "password"},
                {"\"conversion_tracking\": \"yes\"", "conversion_tracking"}};
        for (int i = 0; i < badLinkFields.length; i++) {
            c.add(json("smart link field on create #" + i, "POST", links, "{\"url\": \"https://a.example/\", " + badLinkFields[i][0] + "}",
                    400, badLinkFields[i][1]));
            c.add(json("smart link field on update #" + i, "PATCH", links + "/" + ALIAS, "{" + badLinkFields[i][0] + "}",
                    400, badLinkFields[i][1]));
        }
        String tests = "/api/v1/url-ab-tests";
        String v = "{\"name\": \"v\", \"destination_url\": \"https://a.example/v\"}";
        String[][] badTests = {
                {"{", null}, {"{}", "name"}, {"{\"name\": \"t\", \"primary_url_id\": \"" + ALIAS + "\"}", "variants"},
                {"{\"name\": \"t\", \"primary_url_id\": \"' OR 1=1--\", \"variants\": [" + v + "," + v + "]}", "primary_url_id"},
                {"{\"name\": \"t\", \"primary_url_id\": \"" + ALIAS + "\", \"variants\": [" + v + "]}", "variants"},
                {"{\"name\": \"t\", \"primary_url_id\": \"" + ALIAS + "\", \"variants\": [" + v + ", 7]}", "variants[1]"},
                {"{\"name\": \"t\\u0000\", \"primary_url_id\": \"" + ALIAS + "\", \"variants\": [" + v + "," + v + "]}", "name"},
                {"{\"name\": \"t\", \"primary_url_id\": \"" + ALIAS + "\", \"min_sample_size\": -1, \"variants\": [" + v + "," + v + "]}",
                        "min_sample_size"},
                {"{\"name\": \"t\", \"primary_url_id\": \"" + ALIAS + "\", \"traffic_split_mode\": \"weighted\", \"variants\": ["
                        + v + "," + v + "]}", "variants[0].traffic_weight"},
                {"{\"name\": \"t\", \"primary_url_id\": \"" + ALIAS + "\", \"variants\": [" + v + "," + v + "], \"x\": 1}", "x"}};
        for (int i = 0; i < badTests.length; i++) {
            c.add(json("a/b test body #" + i, "POST", tests, badTests[i][0], 400, badTests[i][1]));
        }
        String click = "\"click_id\": \"01890000-0000-7000-8000-000000000000\"";
        String[][] badConversions = {
                {"{", null}, {"{}", "click_id"}, {"{\"click_id\": \"' OR 1=1--\", \"event\": \"sale\"}", "click_id"},
                {"{" + click + "}", "event"}, {"{" + click + ", \"event\": \"purchase\"}", "event"},
                {"{" + click + ", \"event\": \"sale\", \"amount\": -1}", "amount"},
                {"{" + click + ", \"event\": \"sale\", \"amount\": 1.005}", "amount"},
                {"{" + click + ", \"event\": \"sale\", \"amount\": \"10\"}", "amount"},
                {"{" + click + ", \"event\": \"sale\", \"currency\": \"euro\"}", "currency"},
                {"{" + click + ", \"event\": \"sale\", \"amount\": 10}", "currency"},
                {"{" + click + ", \"event\": \"sale\", \"external_id\": \"\\r\\nX-Injected: yes\"}", "external_id"},
                {"{" + click + ", \"event\": \"sale\", \"extra\": true}", "extra"}};
        for (int i = 0; i < badConversions.length; i++) {
            c.add(json("conversion body #" + i, "POST", "/api/v1/conversions", badConversions[i][0], 400, badConversions[i][1]));
        }
        // --- campaigns and tags (issue 16) ---
        String campaigns = "/api/v1/campaigns";
        for (String ctl : CONTROL) {
            String esc = Http.json(ctl);
            esc = esc.substring(1, esc.length() - 1);
            c.add(json("campaign name with " + Http.json(ctl), "POST", campaigns, "{\"name\": \"n" + esc + "\"}", 400, "name"));
            c.add(json("link campaign_id with " + Http.json(ctl), "POST", links, "{\"url\": \"https://a.example\", \"campaign_id\": \"c" + esc + "\"}", 400, "campaign_id"));
            c.add(json("link tag with " + Http.json(ctl), "POST", links, "{\"url\": \"https://a.example\", \"tags\": [\"t" + esc + "\"]}", 400, "tags"));
            c.add(json("update link tag with " + Http.json(ctl), "PATCH", links + "/" + linkId, "{\"tags\": [\"t" + esc + "\"]}", 400, "tags"));
            c.add(get("list campaign_id with " + Http.json(ctl), links + "?campaign_id=" + q("c" + ctl), 400, "campaign_id"));
            c.add(get("breakdown tags with " + Http.json(ctl), "/api/v1/analytics/breakdown?by=country&tags=" + q("t" + ctl), 400, "tags"));
        }
        String[][] campaignBodies = {{"name", "42"}, {"name", "\"\""}, {"name", "null"}, {"name", Http.json("n".repeat(101))}, {"name", "\"a/b\""},
                {"description", "42"}, {"description", Http.json("d".repeat(1_001))}, {"start_date", "\"yesterday\""}, {"start_date", "5"},
                {"end_date", "\"2026-02-30\""}, {"endDate", "[]"}, {"tags", "\"a,b\""}, {"tags", "[1]"}, {"tags", "[\"<b>\"]"},
                {"tags", Http.json(java.util.Collections.nCopies(21, "t"))}, {"status", "\"ended\""}, {"status", "true"}, {"colour", "\"red\""},
                {"campaignName", "\"x\""}};
        for (String[] t : campaignBodies) {
            String body = t[0].equals("name") ? "{\"name\": " + t[1] + "}" : "{\"name\": \"ok\", \"" + t[0] + "\": " + t[1] + "}";
            c.add(json("create campaign " + t[0] + "=" + abbreviate(t[1]), "POST", campaigns, body, 400, t[0]));
        }
        c.add(json("campaign both start spellings", "POST", campaigns, "{\"name\": \"ok\", \"start_date\": \"2026-01-01\", \"startDate\": \"2026-01-01\"}", 400, "startDate"));
        c.add(json("campaign end before start", "POST", campaigns, "{\"name\": \"ok\", \"start_date\": \"2026-02-01\", \"end_date\": \"2026-01-01\"}", 400, "end_date"));
        c.add(json("campaign body not an object", "POST", campaigns, "[]", 400, null));
        for (String date : OUT_OF_RANGE_DATES) {
            c.add(json("campaign start_date=" + date, "POST", campaigns, "{\"name\": \"ok\", \"start_date\": \"" + date + "\"}", 400, "start_date"));
            c.add(get("campaign list start_date=" + date, campaigns + "?start_date=" + q(date), 400, "start_date"));
        }
        for (String id : HOSTILE_IDS) {
            String e = q(id);
            int status = id.equals("\u0000") ? 400 : 404;
            String field = id.equals("\u0000") ? "path" : null;
            c.add(get("get campaign " + abbreviate(id), campaigns + "/" + e, status, field));
            c.add(json("put campaign " + abbreviate(id), "PUT", campaigns + "/" + e, "{\"name\": \"x\"}", status, field));
            c.add(new Case("delete campaign " + abbreviate(id), "DELETE", campaigns + "/" + e, null, null, status, field));
            c.add(get("campaign urls " + abbreviate(id), campaigns + "/" + e + "/urls", status, field));
            c.add(get("campaign analytics " + abbreviate(id), campaigns + "/" + e + "/analytics", status, field));
            c.add(new Case("add to campaign " + abbreviate(id), "POST", campaigns + "/" + e + "/urls/" + ALIAS, null, null, status, field));
            // As a filter, an unknown campaign is a bad parameter (never a leak of whether it exists elsewhere).
            if (status == 404 && id.length() <= 100) {
                c.add(get("links of campaign " + abbreviate(id), links + "?campaign_id=" + e, 400, "campaign_id"));
                c.add(get("analytics of campaign " + abbreviate(id), "/api/v1/analytics/timeseries?campaignId=" + e, 400, "campaignId"));
            }
        }
        String[][] campaignFilters = {{"campaign_id", "x".repeat(101)}, {"campaignId", "no such campaign"}, {"tags", "a;b"}, {"tags", "t".repeat(51)},
                {"tags", String.join(",", java.util.Collections.nCopies(21, "t"))}, {"tags", "x".repeat(2_001)}};
        for (String[] p : campaignFilters) {
            for (String path : new String[] {links, "/api/v1/analytics/click-details", "/api/v1/analytics/breakdown?by=os",
                    "/api/v1/analytics/user-traffic-sources", "/api/v1/analytics/analytics/" + linkId, "/api/v1/analytics/click-stream"}) {
                String sep = path.contains("?") ? "&" : "?";
                c.add(get(path + " " + p[0] + "=" + abbreviate(p[1]), path + sep + p[0] + "=" + q(p[1]), 400, p[0]));
            }
        }
        c.add(get("campaign filter given twice, differently", links + "?campaign_id=a&campaignId=b", 400, "campaign_id"));
        String[][] campaignList = {{"status", "paused"}, {"range", "2w"}, {"page", "0"}, {"limit", "101"}, {"search", "s".repeat(300)},
                {"search", "a\u0000b"}};
        for (String[] p : campaignList) {
            c.add(get("campaign list " + p[0] + "=" + abbreviate(p[1]), campaigns + "?" + p[0] + "=" + q(p[1]), 400, p[0]));
        }
        c.add(json("bulk row with unknown campaign is that row's error, not a 500", "POST", links, "{\"url\": \"https://a.example\", \"campaign_id\": 7}", 400, "campaign_id"));
        c.add(json("link tags not a list", "POST", links, "{\"url\": \"https://a.example\", \"tags\": {\"a\": 1}}", 400, "tags"));
        c.add(new Case("campaigns no key", "GET", campaigns + "#nokey", null, null, 401, null));
        String domains = "/api/v1/domains";
        String[][] subBodies = {{"subdomain", "42"}, {"subdomain", "\"ab\""}, {"subdomain", "\"-ab\""}, {"subdomain", "\"ab-\""},
                {"subdomain", "\"a_b\""}, {"subdomain", "\"www\""}, {"subdomain", Http.json("a".repeat(64))}, {"subdomain", "\"a.b.c\""},
                {"subdomain", "\"ünï\""}, {"subdomain", "null"}, {"name", "42"}, {"name", Http.json("n".repeat(256))}, {"description", "[]"},
                {"owner", "\"me\""}};
        for (String[] t : subBodies) {
            String body = t[0].equals("subdomain") ? "{\"subdomain\": " + t[1] + "}" : "{\"subdomain\": \"okay\", \"" + t[0] + "\": " + t[1] + "}";
            c.add(json("subdomain " + t[0] + "=" + abbreviate(t[1]), "POST", domains + "/subdomains", body, 400, t[0]));
        }
        String[][] brandBodies = {{"domain", "42"}, {"domain", "\"localhost\""}, {"domain", "\"a b.example\""}, {"domain", "\"-a.example\""},
                {"domain", "\"a..example\""}, {"domain", "\"1.2.3.4\""}, {"domain", "\"http://a.example/\""}, {"domain", Http.json("a".repeat(250) + ".example")},
                {"domain", "\"localhost.\""}, {"name", "{}"}, {"verified", "true"}};
        for (String[] t : brandBodies) {
            String body = t[0].equals("domain") ? "{\"domain\": " + t[1] + "}" : "{\"domain\": \"ok.example\", \"" + t[0] + "\": " + t[1] + "}";
            c.add(json("branded " + t[0] + "=" + abbreviate(t[1]), "POST", domains + "/branded", body, 400, t[0]));
        }
        for (String ctl : CONTROL) {
            String esc = Http.json(ctl);
            esc = esc.substring(1, esc.length() - 1);
            c.add(json("subdomain with " + Http.json(ctl), "POST", domains + "/subdomains", "{\"subdomain\": \"ab" + esc + "\"}", 400, "subdomain"));
            c.add(json("branded with " + Http.json(ctl), "POST", domains + "/branded", "{\"domain\": \"a" + esc + ".example\"}", 400, "domain"));
            c.add(json("link subdomain with " + Http.json(ctl), "POST", links, "{\"url\": \"https://a.example\", \"subdomain\": \"ab" + esc + "\"}", 400, "subdomain"));
            c.add(get("check-alias domain with " + Http.json(ctl), links + "/check-alias?alias=abcd&domain=" + q("a" + ctl), 400, "domain"));
        }
        String[][] linkDomainBodies = {{"url_type", "\"custom\""}, {"url_type", "7"}, {"subdomain", "\"unknown-sub\""}, {"branded_domain", "\"not.mine.example\""},
                {"branded_domain", "\"not a host\""}, {"domain", "\"nowhere.example\""}, {"domain", "\"bad host\""}};
        for (String[] t : linkDomainBodies) {
            c.add(json("link " + t[0] + "=" + abbreviate(t[1]), "POST", links, "{\"url\": \"https://a.example\", \"" + t[0] + "\": " + t[1] + "}", 400,
                    t[0].equals("domain") && t[1].contains("nowhere") ? "branded_domain" : t[0]));
        }
        c.add(json("link url_type subdomain without one", "POST", links, "{\"url\": \"https://a.example\", \"url_type\": \"subdomain\"}", 400, "subdomain"));
        c.add(json("link standard with a subdomain", "POST", links, "{\"url\": \"https://a.example\", \"url_type\": \"standard\", \"subdomain\": \"abc\"}", 400, "url_type"));
        c.add(json("update link subdomain", "PATCH", links + "/" + linkId, "{\"subdomain\": \"abc\"}", 400, "subdomain"));
        c.add(get("list url_type=custom", links + "?url_type=custom", 400, "url_type"));
        c.add(get("list urlType twice", links + "?urlType=standard&urlType=branded", 400, "urlType"));
        for (String id : HOSTILE_IDS) {
            String e = q(id);
            int status = id.equals("\u0000") ? 400 : 404;
            String field = id.equals("\u0000") ? "path" : null;
            c.add(new Case("delete subdomain " + abbreviate(id), "DELETE", domains + "/subdomains/" + e, null, null, status, field));
            c.add(new Case("delete branded " + abbreviate(id), "DELETE", domains + "/branded/" + e, null, null, status, field));
            c.add(new Case("verify branded " + abbreviate(id), "POST", domains + "/branded/" + e + "/verify", null, null, status, field));
        }
        c.add(new Case("delete subdomain force=maybe", "DELETE", domains + "/subdomains/x?force=maybe", null, null, 400, "force"));
        // --- QR scans (issue 15) ---
        for (String trigger : List.of("scan", "QR", "links", "qr,link", "all%20")) {
            for (String path : List.of("/api/v1/analytics/breakdown?by=os&", "/api/v1/analytics/click-details?",
                    "/api/v1/analytics/analytics/" + ALIAS + "?", "/api/v1/analytics/timeseries?", "/api/v1/analytics/geographic/" + ALIAS + "?",
                    "/api/v1/analytics/referrers?", "/api/v1/analytics/user-traffic-sources?", "/api/v1/analytics/traffic-quality/" + ALIAS + "?")) {
                c.add(get("trigger=" + trigger + " on " + path, path + "trigger=" + trigger, 400, "trigger"));
            }
        }
        c.add(get("trigger twice", "/api/v1/analytics/click-details?trigger=qr&trigger=link", 400, "trigger"));
        String qa = "/api/v1/qranalytics/";
        for (String limit : List.of("0", "101", "-1", "x", "1e2", "99999999999999999999")) {
            c.add(get("qranalytics recent limit=" + limit, qa + "recent?limit=" + q(limit), 400, "limit"));
            c.add(get("qranalytics top-performers limit=" + limit, qa + "top-performers?limit=" + q(limit), 400, "limit"));
        }
        for (String answer : List.of("overview", "timeline", "geographic", "device", "traffic", "top-performers")) {
            c.add(get("qranalytics " + answer + " startDate=yesterday", qa + answer + "?startDate=yesterday", 400, "startDate"));
            c.add(get("qranalytics " + answer + " traffic=robots", qa + answer + "?traffic=robots", 400, "traffic"));
            c.add(get("qranalytics " + answer + " country=GBR", qa + answer + "?country=GBR", 400, "country"));
        }
        c.add(get("qranalytics timeline interval=year", qa + "timeline?interval=year", 400, "interval"));
        c.add(get("qranalytics overview groupBy=week", qa + "overview?groupBy=week", 400, "groupBy"));
        c.add(get("qranalytics traffic dateRange=forever", qa + "traffic?dateRange=forever", 400, "dateRange"));
        return c.stream();
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyBadRequestIsA4xxWithTheEnvelopeAndChangesNothing(Case c) throws Exception {
        long linksBefore = count("short_urls");
        long keysBefore = count("api_keys");
        String path = c.path();
        String[] auth = server.admin();
        if (path.endsWith("#nokey")) {
            auth = new String[0];
        } else if (path.endsWith("#bogus")) {
            auth = new String[] {"Authorization", "Bearer lp_" + "x".repeat(43)};
        } else if (path.endsWith("#crlf")) {
            auth = new String[] {"X-Api-Key-Test", "1"};
            path = path + "&api_key=" + q("lp_a\r\nX-Injected: yes");
        }
        path = path.replaceAll("#\\w+$", "").replace("?&", "?");
        path = path.replace("{webhook}", webhookId); // --- webhooks (issue 18) ---
        if (path.contains("&api_key=") && !path.contains("?")) {
            path = path.replaceFirst("&", "?");
        }
        // Every case also carries a bogus forwarding chain and over-long User-Agent and Referer headers.
        String[] headers = new String[auth.length + 6];
        System.arraycopy(auth, 0, headers, 0, auth.length);
        headers[auth.length] = "X-Forwarded-For";
        headers[auth.length + 1] = "garbage, 999.1.1.1, ::::, 10.0.0.1";
        headers[auth.length + 2] = "User-Agent";
        headers[auth.length + 3] = "Mozilla/5.0 " + "A".repeat(4_000);
        headers[auth.length + 4] = "Referer";
        headers[auth.length + 5] = "https://ref.example/" + "r".repeat(6_000);
        Http.Response r = server.http().raw(c.method(), path, c.contentType(), c.body(), headers);

        assertThat(r.status()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
        assertThat(r.header("X-Injected")).isNull();
        JsonNode body = r.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").get("code").asText()).isNotBlank();
        assertThat(body.get("error").get("message").asText()).isNotBlank();
        if (c.field() != null) {
            assertThat(body.get("error").path("details").path("field").asText()).as(c.name() + ": " + r.body()).isEqualTo(c.field());
        }
        assertThat(count("short_urls")).isEqualTo(linksBefore);
        assertThat(count("api_keys")).isEqualTo(keysBefore);
        assertThat(count("webhook_subscriptions")).isEqualTo(1); // --- webhooks (issue 18) ---
        JsonNode link = server.http().get("/api/v1/short-urls/" + linkId, server.admin()).json().get("data");
        assertThat(link.get("short_code").asText()).isEqualTo(ALIAS);
        assertThat(link.get("original_url").asText()).isEqualTo("https://example.com/corpus");
        assertThat(link.get("name").isNull()).isTrue();
        assertThat(server.http().get("/health").status()).isEqualTo(200);
    }

    /** One connection for the whole corpus: opening one per count cost PostgreSQL ~20 ms, five times a case. */
    private static java.sql.Connection store;

    static long count(String table) throws Exception {
        if (store == null || store.isClosed()) {
            store = server.openStoreConnection();
        }
        try (var st = store.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @org.junit.jupiter.api.Test
    void aRedirectWithOverLongHeadersAndABogusForwardingChainStillRedirectsAndStoresCutValues() {
        Http.Response r = server.http().get("/" + ALIAS, "User-Agent", "U".repeat(9_000), "Referer", "https://r.example/" + "x".repeat(6_000),
                "X-Forwarded-For", "999.999.1.1, not-an-ip, 81.2.69.142:99999, [::1");
        assertThat(r.status()).isEqualTo(301);
        server.awaitClicks(ALIAS, 1);
        JsonNode click = server.clickLog(ALIAS, "?limit=1").get("data").get(0);
        assertThat(click.get("user_agent").asText()).hasSize(1_024);
        assertThat(click.get("referrer").asText().length()).isLessThanOrEqualTo(2_048);
        assertThat(server.http().get("/health").status()).isEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void anImportRowWithAnOutOfRangeExpiryIsReportedAsThatRowsExpiresAtError() {
        for (String date : OUT_OF_RANGE_DATES) {
            String csv = "url,expires_at\nhttps://example.com/far," + date + "\n";
            Http.Response r = server.http().postJson("/api/v1/bulk-urls/validate", Http.json(Map.of("csv_content", csv)), server.admin());
            assertThat(r.status()).as(date + ": " + r.body()).isEqualTo(200);
            JsonNode row = r.json().get("data").get("results").get(0);
            assertThat(row.toString()).as(date).contains("\"field\":\"expires_at\"").contains("VALIDATION_ERROR");
        }
    }

    @org.junit.jupiter.api.Test
    void theCorpusHoldsAtLeastTwoHundredCases() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(200);
    }

    // --- MCP (issue 19) ---
    @org.junit.jupiter.api.Test
    void badMcpRequestsAreAnsweredWithoutA500AndChangeNothing() throws Exception {
        String[] accept = {"Accept", "application/json, text/event-stream"};
        String[] admin = server.admin();
        String[] headers = {accept[0], accept[1], admin[0], admin[1]};
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"%s\",\"arguments\":%s}}";
        List<String> bodies = new ArrayList<>(List.of("{", "[]", "null", "\"x\"", "{\"jsonrpc\":\"2.0\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":\"x\"}",
                call.formatted("noSuchTool", "{}"),
                call.formatted("shortenUrl", "[1,2]"),
                call.formatted("shortenUrl", "\"x\""),
                call.formatted("shortenUrl", "{\"url\":{\"nested\":true}}"),
                call.formatted("shortenUrl", "{\"url\":\"https://a.example/\\r\\nX-Injected: yes\"}"),
                call.formatted("getUrl", "{\"shortUrlId\":\"\\u0000\"}"),
                call.formatted("getUrl", "{\"shortUrlId\":\"a\\r\\nX-Injected: yes\"}"),
                call.formatted("getUrlClickLogs", "{\"limit\":\"1; DROP TABLE clicks\"}"),
                call.formatted("listUrls", "{\"search\":\"" + "x".repeat(5_000) + "\"}"),
                call.formatted("bulkShortenUrls", "{\"urls\":\"javascript:alert(1)\"}"),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"listUrls\",\"arguments\":{\"x\":\""
                        + "y".repeat(1_100_000) + "\"}}}"));
        for (String body : bodies) {
            long links = count("short_urls");
            Http.Response r = server.http().postJson("/mcp", body, headers);
            assertThat(r.status()).as(abbreviate(body) + ": " + r.body()).isLessThan(500);
            assertThat(r.header("X-Injected")).isNull();
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.linkpulse");
            if (r.status() == 200 && r.json().has("result")) {
                assertThat(r.json().get("result").get("isError").asBoolean()).as(abbreviate(body) + ": " + abbreviate(r.body())).isTrue();
            }
            assertThat(count("short_urls")).as(abbreviate(body)).isEqualTo(links);
        }
        // A bad row of a bulk import is that row's failure in a successful answer, as over REST.
        Http.Response bulk = server.http().postJson("/mcp", call.formatted("bulkShortenUrls",
                "{\"urls\":[{\"url\":\"javascript:alert(1)\"}]}"), headers);
        assertThat(bulk.json().get("result").get("structuredContent").get("failed").get(0).get("error").get("field").asText())
                .isEqualTo("url");
        // Not JSON at all, or not as JSON: refused before any tool runs.
        Http.Response text = server.http().post("/mcp", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), headers);
        assertThat(text.status()).isBetween(400, 499);
        assertThat(server.http().get("/health").status()).isEqualTo(200);
    }
}
