package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every endpoint needs exactly its permission: a key holding every other permission is refused
 * with 403 naming it, and a key holding only it gets past the permission check.
 */
class PermissionsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createLink(Map.of("url", "https://example.com", "custom_alias", "perm-link"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final List<String> ALL = List.of("read", "write", "delete", "analytics", "admin");

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource(delimiter = '|', value = {
            "POST|/api/v1/short-urls|write|{\"url\":\"https://example.com/p\"}",
            "GET|/api/v1/short-urls|read|",
            "GET|/api/v1/short-urls/check-alias?alias=abcdef|read|",
            "GET|/api/v1/short-urls/perm-link|read|",
            "PUT|/api/v1/short-urls/perm-link|write|{\"name\":\"n\"}",
            "PATCH|/api/v1/short-urls/perm-link|write|{\"name\":\"n\"}",
            "DELETE|/api/v1/short-urls/no-such-link|delete|",
            "POST|/api/v1/bulk-urls/validate|write|{\"csv_content\":\"url\\nhttps://example.com\"}",
            "POST|/api/v1/bulk-urls/create|write|{\"validated_urls\":[{\"url\":\"https://example.com/b\"}]}",
            "GET|/api/v1/api-keys|admin|",
            "POST|/api/v1/api-keys|admin|{\"name\":\"k\",\"permissions\":[\"read\"]}",
            "DELETE|/api/v1/api-keys/no-such-key|admin|",
            "GET|/api/v1/analytics/click-details|analytics|",
            "GET|/api/v1/analytics/click-details/perm-link|analytics|",
            // --- campaigns and tags (issue 16) ---
            "GET|/api/v1/campaigns|read|",
            "POST|/api/v1/campaigns|write|{\"name\":\"perm campaign\"}",
            "GET|/api/v1/campaigns/no-such-campaign|read|",
            "PUT|/api/v1/campaigns/no-such-campaign|write|{\"name\":\"n\"}",
            "PATCH|/api/v1/campaigns/no-such-campaign|write|{\"name\":\"n\"}",
            "DELETE|/api/v1/campaigns/no-such-campaign|delete|",
            "GET|/api/v1/campaigns/no-such-campaign/urls|read|",
            "POST|/api/v1/campaigns/no-such-campaign/urls/perm-link|write|",
            "DELETE|/api/v1/campaigns/no-such-campaign/urls/perm-link|write|",
            "GET|/api/v1/campaigns/no-such-campaign/analytics|analytics|",
            "GET|/api/v1/tags|read|",
            "GET|/api/v1/domains/check-subdomain/permsub|read|",
            "GET|/api/v1/domains/subdomains|read|",
            "POST|/api/v1/domains/subdomains|write|{\"subdomain\":\"perm-sub\"}",
            "DELETE|/api/v1/domains/subdomains/no-such-sub|delete|",
            "GET|/api/v1/domains/branded|read|",
            "POST|/api/v1/domains/branded|write|{\"domain\":\"perm.brand.example\"}",
            "POST|/api/v1/domains/branded/no-such.example/verify|write|",
            "DELETE|/api/v1/domains/branded/no-such.example|delete|"})
    void eachEndpointNeedsItsPermission(String method, String path, String needed, String body) {
        String others = String.join(",", ALL.stream().filter(p -> !p.equals(needed)).toList());
        String without = server.createKey("without-" + needed, others, null);
        String only = server.createKey("only-" + needed, needed, null);

        Http.Response refused = server.http().send(method, path, body, server.auth(without));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(refused.json().get("error").get("details").get("required").asText()).isEqualTo(needed);

        Http.Response allowed = server.http().send(method, path, body, server.auth(only));
        assertThat(allowed.status()).as(allowed.body()).isNotIn(401, 403);

        Http.Response anonymous = server.http().send(method, path, body);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    }
}
