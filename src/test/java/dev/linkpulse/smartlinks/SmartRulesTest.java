package dev.linkpulse.smartlinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Targeting rules (issue 17, spec §6.9) through the real API and the real redirect, on both stores. */
class SmartRulesTest {

    static final String IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
    static final String WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final String LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of()); // loopback is a trusted proxy: X-Forwarded-For names the client
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String linkWith(List<Map<String, Object>> rules) {
        String code = server.createLink(Map.of("url", "https://example.com/default")).get("short_code").asText();
        Http.Response put = server.http().send("PUT", "/api/v1/short-urls/" + code + "/rules", Http.json(Map.of("rules", rules)),
                server.admin());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        return code;
    }

    private static Map<String, Object> rule(String destination, Map<String, Object>... conditions) {
        return Map.of("destination_url", destination, "conditions", List.of(conditions));
    }

    private static Map<String, Object> cond(String type, String value) {
        return Map.of("type", type, "value", value);
    }

    private static String location(String path, String... headers) {
        Http.Response r = server.http().get(path, headers);
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        return r.header("Location");
    }

    @Test
    void deviceTypeOsAndBrowser() {
        String device = linkWith(List.of(rule("https://m.example.com/", cond("device_type", "mobile"))));
        assertThat(location("/" + device, "User-Agent", IPHONE_SAFARI)).isEqualTo("https://m.example.com/");
        assertThat(location("/" + device, "User-Agent", WINDOWS_CHROME)).isEqualTo("https://example.com/default");

        String os = linkWith(List.of(rule("https://ios.example.com/", cond("os", "iOS"))));
        assertThat(location("/" + os, "User-Agent", IPHONE_SAFARI)).isEqualTo("https://ios.example.com/");
        assertThat(location("/" + os, "User-Agent", LINUX_FIREFOX)).isEqualTo("https://example.com/default");

        String browser = linkWith(List.of(rule("https://ff.example.com/", cond("browser", "firefox"))));
        assertThat(location("/" + browser, "User-Agent", LINUX_FIREFOX)).isEqualTo("https://ff.example.com/");
        assertThat(location("/" + browser, "User-Agent", WINDOWS_CHROME)).isEqualTo("https://example.com/default");
    }

    @Test
    void countryFromTheClientIp() {
        String code = linkWith(List.of(rule("https://uk.example.com/", cond("country", "gb"))));
        assertThat(location("/" + code, "X-Forwarded-For", "81.2.69.142")).isEqualTo("https://uk.example.com/");
        assertThat(location("/" + code, "X-Forwarded-For", "2001:480:10::1")).isEqualTo("https://example.com/default");
        assertThat(location("/" + code)).isEqualTo("https://example.com/default"); // loopback: no country
    }

    @Test
    void languageFromAcceptLanguage() {
        String code = linkWith(List.of(rule("https://de.example.com/", cond("language", "de"))));
        assertThat(location("/" + code, "Accept-Language", "de-CH,de;q=0.9,en;q=0.5")).isEqualTo("https://de.example.com/");
        assertThat(location("/" + code, "Accept-Language", "en-US,fr;q=0.7,de;q=0.3")).isEqualTo("https://de.example.com/");
        assertThat(location("/" + code, "Accept-Language", "en-US,de;q=0")).isEqualTo("https://example.com/default");
        assertThat(location("/" + code, "Accept-Language", "dev")).isEqualTo("https://example.com/default");
        assertThat(location("/" + code)).isEqualTo("https://example.com/default");
    }

    @Test
    void queryParameterEqualToAValue() {
        String code = linkWith(List.of(rule("https://news.example.com/",
                Map.of("type", "query", "key", "src", "value", "news letter"))));
        // The request's query is forwarded, as for any link.
        assertThat(location("/" + code + "?src=news%20letter")).isEqualTo("https://news.example.com/?src=news%20letter");
        assertThat(location("/" + code + "?a=1&src=news+letter")).isEqualTo("https://news.example.com/?a=1&src=news+letter");
        assertThat(location("/" + code + "?src=other")).isEqualTo("https://example.com/default?src=other");
        assertThat(location("/" + code + "?xsrc=news%20letter")).isEqualTo("https://example.com/default?xsrc=news%20letter");
    }

    @Test
    void beforeAndAfterATime() {
        String code = linkWith(List.of(
                rule("https://later.example.com/", cond("after", "2099-01-01T00:00:00Z")),
                rule("https://now.example.com/", cond("after", "2020-01-01"), cond("before", "2099-01-01T00:00:00.000Z"))));
        assertThat(location("/" + code)).isEqualTo("https://now.example.com/");
        String past = linkWith(List.of(rule("https://early.example.com/", cond("before", "2020-01-01T00:00:00Z"))));
        assertThat(location("/" + past)).isEqualTo("https://example.com/default");
    }

    @Test
    void allConditionsMustHoldAndTheFirstMatchingRuleWins() {
        String code = linkWith(List.of(
                rule("https://ios-de.example.com/", cond("os", "iOS"), cond("language", "de")),
                rule("https://mobile.example.com/", cond("device_type", "mobile")),
                rule("https://ios.example.com/", cond("os", "iOS"))));
        assertThat(location("/" + code, "User-Agent", IPHONE_SAFARI, "Accept-Language", "de")).isEqualTo("https://ios-de.example.com/");
        assertThat(location("/" + code, "User-Agent", IPHONE_SAFARI, "Accept-Language", "en")).isEqualTo("https://mobile.example.com/");
        assertThat(location("/" + code, "User-Agent", WINDOWS_CHROME, "Accept-Language", "de")).isEqualTo("https://example.com/default");
    }

    @Test
    void theClickRecordsWhichRuleMatched() {
        String code = linkWith(List.of(
                rule("https://a.example.com/", Map.of("type", "query", "key", "v", "value", "a")),
                rule("https://b.example.com/", Map.of("type", "query", "key", "v", "value", "b"))));
        assertThat(location("/" + code + "?v=b", "User-Agent", WINDOWS_CHROME)).isEqualTo("https://b.example.com/?v=b");
        server.awaitClicks(code, 1);
        assertThat(location("/" + code + "?v=c", "User-Agent", WINDOWS_CHROME)).isEqualTo("https://example.com/default?v=c");
        server.awaitClicks(code, 2);
        JsonNode log = server.clickLog(code, "").get("data");
        // newest first
        assertThat(log.get(0).get("matched_rule").isNull()).isTrue();
        assertThat(log.get(0).get("original_url").asText()).isEqualTo("https://example.com/default?v=c");
        assertThat(log.get(1).get("matched_rule").asInt()).isEqualTo(1);
        assertThat(log.get(1).get("original_url").asText()).isEqualTo("https://b.example.com/?v=b");
    }

    @Test
    void rulesReadBackAndRemovingThemRestoresThePlainRedirect() {
        String code = linkWith(List.of(rule("https://m.example.com/", cond("device_type", "Mobile"), cond("country", "us"))));
        Http.Response get = server.http().get("/api/v1/short-urls/" + code + "/rules", server.admin());
        assertThat(get.status()).isEqualTo(200);
        JsonNode rules = get.json().get("data").get("rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).get("destination_url").asText()).isEqualTo("https://m.example.com/");
        assertThat(rules.get(0).get("conditions").get(0).get("value").asText()).isEqualTo("mobile");
        assertThat(rules.get(0).get("conditions").get(1).get("value").asText()).isEqualTo("US");
        assertThat(server.http().get("/" + code).status()).isEqualTo(302);

        Http.Response cleared = server.http().send("PUT", "/api/v1/short-urls/" + code + "/rules",
                "{\"rules\": []}", server.admin());
        assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
        Http.Response plain = server.http().get("/" + code);
        assertThat(plain.status()).isEqualTo(301);
        assertThat(plain.header("Location")).isEqualTo("https://example.com/default");
        assertThat(server.http().get("/api/v1/short-urls/" + code + "/rules", server.admin()).json().get("data").get("rules"))
                .isEmpty();
    }

    @Test
    void aLinkWithoutRulesKeepsThePlainRedirect() {
        String code = server.createLink(Map.of("url", "https://example.com/plain")).get("short_code").asText();
        Http.Response r = server.http().get("/" + code, "User-Agent", IPHONE_SAFARI);
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("https://example.com/plain");
        assertThat(server.http().get("/api/v1/short-urls/" + code + "/rules", server.admin()).json().get("data").get("rules"))
                .isEmpty();
    }

    private static void assertRefused(String body, String field) {
        String code = server.createLink(Map.of("url", "https://example.com/default")).get("short_code").asText();
        Http.Response r = server.http().send("PUT", "/api/v1/short-urls/" + code + "/rules", body, server.admin());
        assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.json().get("error").get("details").get("field").asText()).as(body).isEqualTo(field);
        // nothing stored: the link still redirects plainly
        assertThat(server.http().get("/" + code).status()).isEqualTo(301);
    }

    @Test
    void badRulesAreRefusedNamingTheField() {
        String ok = "{\"destination_url\":\"https://a.example.com/\",\"conditions\":[{\"type\":\"os\",\"value\":\"iOS\"}]}";
        assertRefused("{}", "rules");
        assertRefused("{\"rules\": {}}", "rules");
        assertRefused("{\"rules\": [], \"extra\": 1}", "extra");
        assertRefused("{\"rules\": [" + ok + ", 5]}", "rules[1]");
        assertRefused("{\"rules\": [" + ok + ", {\"conditions\":[{\"type\":\"os\",\"value\":\"iOS\"}]}]}", "rules[1].destination_url");
        assertRefused("{\"rules\": [{\"destination_url\":\"ftp://x.example.com/\",\"conditions\":[{\"type\":\"os\",\"value\":\"iOS\"}]}]}",
                "rules[0].destination_url");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[]}]}", "rules[0].conditions");
        assertRefused("{\"rules\": [" + ok + "," + ok + ",{\"destination_url\":\"https://x.example.com/\",\"conditions\":"
                + "[{\"type\":\"planet\",\"value\":\"mars\"}]}]}", "rules[2].conditions[0].type");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":"
                + "[{\"type\":\"os\",\"value\":\"iOS\"},{\"type\":\"device_type\",\"value\":\"fridge\"}]}]}", "rules[0].conditions[1].value");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[{\"type\":\"country\",\"value\":\"GBR\"}]}]}",
                "rules[0].conditions[0].value");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[{\"type\":\"before\",\"value\":\"soon\"}]}]}",
                "rules[0].conditions[0].value");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[{\"type\":\"query\",\"value\":\"x\"}]}]}",
                "rules[0].conditions[0].key");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[{\"type\":\"os\",\"key\":\"k\",\"value\":\"x\"}]}]}",
                "rules[0].conditions[0].key");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[{\"type\":\"os\",\"value\":\"iOS\",\"op\":\"eq\"}]}]}",
                "rules[0].conditions[0].op");
        assertRefused("{\"rules\": [{\"destination_url\":\"https://x.example.com/\",\"conditions\":[{\"type\":\"os\",\"value\":5}]}]}",
                "rules[0].conditions[0].value");
    }

    @Test
    void anotherWorkspacesLinkIsNotFound() {
        String code = server.createLink(Map.of("url", "https://example.com/default")).get("short_code").asText();
        String other = server.createKey("other", "read,write", "elsewhere");
        String[] auth = {"Authorization", "Bearer " + other};
        assertThat(server.http().get("/api/v1/short-urls/" + code + "/rules", auth).status()).isEqualTo(404);
        assertThat(server.http().send("PUT", "/api/v1/short-urls/" + code + "/rules", "{\"rules\": []}", auth).status())
                .isEqualTo(404);
    }
}
