package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conversions in the analytics of a link and of a campaign, and in the click log (issue 17), on both stores. */
class ConversionAnalyticsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of()); // loopback is a trusted proxy: X-Forwarded-For names the visitor
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String visit(String code, String ip) {
        Http.Response r = server.http().get("/" + code, "User-Agent", AbTestApiTest.HUMAN, "X-Forwarded-For", ip);
        assertThat(r.status()).as(r.body()).isIn(301, 302);
        String location = r.header("Location");
        return location.substring(location.indexOf("lp_click_id=") + "lp_click_id=".length());
    }

    private static void convert(String clickId, String event, Object amount, String currency) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("click_id", clickId, "event", event));
        if (amount != null) {
            body.put("amount", amount);
            body.put("currency", currency);
        }
        Http.Response r = server.http().postJson("/api/v1/conversions", Http.json(body), server.admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static JsonNode ok(Http.Response r) {
        return ok(r, 200);
    }

    private static JsonNode ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.json().get("data");
    }

    @Test
    void conversionsShowPerLinkPerCampaignAndOnTheirClicks() {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/checkout", "conversion_tracking", true));
        String id = link.get("id").asText();
        String code = link.get("short_code").asText();
        List<String> clicks = new ArrayList<>();
        for (String ip : List.of("198.51.100.61", "198.51.100.62", "198.51.100.63")) {
            clicks.add(visit(code, ip));
        }
        server.awaitClicks(code, 3);
        convert(clicks.get(0), "lead", null, null);
        convert(clicks.get(0), "sale", 19.99, "eur");
        convert(clicks.get(1), "sale", 5.01, "EUR");
        convert(clicks.get(1), "sale", 10, "USD");

        JsonNode metrics = ok(server.http().get("/api/v1/analytics/analytics/" + id, server.admin()));
        assertThat(metrics.get("total_clicks").asLong()).isEqualTo(3);
        JsonNode conv = metrics.get("conversions");
        assertThat(conv.get("total").asLong()).isEqualTo(4);
        assertThat(conv.get("leads").asLong()).isEqualTo(1);
        assertThat(conv.get("signups").asLong()).isZero();
        assertThat(conv.get("sales").asLong()).isEqualTo(3);
        // Two of the three clicks converted (the first twice): the rate is of clicks, not of conversions.
        assertThat(conv.get("converted_clicks").asLong()).isEqualTo(2);
        assertThat(conv.get("conversion_rate").asDouble()).isEqualTo(66.67);
        assertThat(conv.get("revenue")).hasSize(2);
        assertThat(conv.get("revenue").get(0).get("currency").asText()).isEqualTo("EUR");
        assertThat(conv.get("revenue").get(0).get("amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(conv.get("revenue").get(1).get("currency").asText()).isEqualTo("USD");
        assertThat(conv.get("revenue").get(1).get("amount").decimalValue()).isEqualByComparingTo("10.00");

        // A conversion counts with its click: a filter that selects none of the clicks selects none of it.
        JsonNode mobile = ok(server.http().get("/api/v1/analytics/analytics/" + id + "?device_type=mobile", server.admin()));
        assertThat(mobile.get("total_clicks").asLong()).isZero();
        assertThat(mobile.get("conversions").get("total").asLong()).isZero();
        assertThat(mobile.get("conversions").get("conversion_rate").asDouble()).isZero();
        assertThat(mobile.get("conversions").get("revenue")).isEmpty();

        JsonNode campaign = ok(server.http().postJson("/api/v1/campaigns", Http.json(Map.of("name", "Checkout " + code)), server.admin()), 201);
        String campaignId = campaign.get("id").asText();
        ok(server.http().send("POST", "/api/v1/campaigns/" + campaignId + "/urls/" + id, null, server.admin()));
        JsonNode other = server.createLink(Map.of("url", "https://example.com/elsewhere"));
        ok(server.http().send("POST", "/api/v1/campaigns/" + campaignId + "/urls/" + other.get("id").asText(), null, server.admin()));
        visit(other.get("short_code").asText(), "198.51.100.64");
        server.awaitClicks(other.get("short_code").asText(), 1);
        JsonNode ofCampaign = ok(server.http().get("/api/v1/campaigns/" + campaignId + "/analytics", server.admin()));
        assertThat(ofCampaign.get("total_clicks").asLong()).isEqualTo(4);
        assertThat(ofCampaign.get("conversions").get("total").asLong()).isEqualTo(4);
        assertThat(ofCampaign.get("conversions").get("conversion_rate").asDouble()).isEqualTo(50.0);

        // The click log lists the page's conversions by click id, beside the (unchanged) click records.
        JsonNode log = server.clickLog(code, "");
        assertThat(log.get("data").findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(clicks);
        JsonNode byClick = log.get("conversions");
        assertThat(byClick.get(clicks.get(0)).findValuesAsText("event")).containsExactly("lead", "sale");
        assertThat(byClick.get(clicks.get(0)).get(1).get("amount").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(byClick.get(clicks.get(1)).findValuesAsText("currency")).containsExactly("EUR", "USD");
        assertThat(byClick.has(clicks.get(2))).isFalse();
        assertThat(log.get("data").get(0).has("conversions")).isFalse();
    }
}
