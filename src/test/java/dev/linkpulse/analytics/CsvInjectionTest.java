package dev.linkpulse.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Csv;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CSV export never hands a spreadsheet a formula (OWASP, CSV injection): a cell that begins
 * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a leading
 * {@code '}. JSON and NDJSON keep what the visitor sent, unchanged.
 */
class CsvInjectionTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createLink(Map.of("url", "https://example.com/formula", "custom_alias", "formula"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void userAgentsReferrersAndUtmTagsThatLookLikeFormulasAreExportedAsText() {
        // user agent -> utm_source of the same click; each starts with one of the six characters, or none
        Map<String, String> clicks = new java.util.LinkedHashMap<>();
        clicks.put("@SUM(A1)", "%3D1%2B2");            // = in the UTM tag
        clicks.put("+1+1", "%09tabbed");                 // tab
        clicks.put("=HYPERLINK(\"http://x.example\",\"a\")", "%0Dcr");  // carriage return
        clicks.put("-2+3", "plain");
        clicks.put("Mozilla/5.0 plain", "%40mention");   // @
        for (Map.Entry<String, String> c : clicks.entrySet()) {
            Http.Response r = server.http().get("/formula?utm_source=" + c.getValue(), "User-Agent", c.getKey(),
                    "Referer", "https://ref.example/" + c.getValue());
            assertThat(r.status()).isEqualTo(301);
        }
        server.awaitClicks("formula", clicks.size());

        Http.Response csv = server.http().get("/api/v1/analytics/click-details/formula?format=csv", server.admin());
        assertThat(csv.status()).isEqualTo(200);
        List<List<String>> rows = Csv.parse(csv.body()).records();
        List<String> header = rows.get(0);
        int ua = header.indexOf("user_agent");
        int utm = header.indexOf("utm_source");
        Map<String, String> exportedUtmByUa = new HashMap<>();
        Map<String, List<String>> rowByUa = new HashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            exportedUtmByUa.put(row.get(ua), row.get(utm));
            rowByUa.put(row.get(ua), row);
        }
        assertThat(exportedUtmByUa).containsOnlyKeys("'@SUM(A1)", "'+1+1", "'=HYPERLINK(\"http://x.example\",\"a\")", "'-2+3",
                "Mozilla/5.0 plain");

        // The JSON log holds what was stored; the CSV cell is that value, quoted once when it starts a formula.
        JsonNode log = server.clickLog("formula", "?limit=100").get("data");
        assertThat(log).hasSize(clicks.size());
        for (JsonNode click : log) {
            String agent = click.get("user_agent").asText();
            assertThat(clicks).containsKey(agent);
            String key = startsAFormula(agent) ? "'" + agent : agent;
            assertThat(rowByUa).containsKey(key);
            String source = click.get("utm_source").isNull() ? "" : click.get("utm_source").asText();
            assertThat(exportedUtmByUa.get(key)).as("utm_source of " + agent).isEqualTo(startsAFormula(source) ? "'" + source : source);
            for (int i = 0; i < header.size(); i++) {
                String exported = rowByUa.get(key).get(i);
                assertThat(startsAFormula(exported)).as(header.get(i) + " of " + agent + ": " + exported).isFalse();
            }
        }
        assertThat(rowByUa.get("'@SUM(A1)").get(utm)).isEqualTo("'=1+2");
        assertThat(rowByUa.get("Mozilla/5.0 plain").get(utm)).isEqualTo("'@mention");

        // NDJSON is data for programs, not spreadsheets: unchanged.
        String ndjson = server.http().get("/api/v1/analytics/click-details/formula?format=ndjson", server.admin()).body();
        assertThat(ndjson).contains("\"user_agent\":\"@SUM(A1)\"").contains("\"user_agent\":\"+1+1\"").doesNotContain("'@SUM");
    }

    static boolean startsAFormula(String v) {
        return !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0;
    }
}
