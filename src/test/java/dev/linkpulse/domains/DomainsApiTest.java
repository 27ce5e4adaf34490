package dev.linkpulse.domains;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/domains} (spec §6.5) and links on subdomains and branded domains: aliases unique
 * per host, short URLs on the link's host, redirects resolved within the request's Host, and
 * branded domains verified through a real DNS server (dnsmasq on loopback).
 */
class DomainsApiTest {

    static TestServer server;
    static Path dir;
    static int dnsPort;
    static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("linkpulse-dns");
        dns = Dnsmasq.startOnFreePort(dir, Map.of());
        dnsPort = dns.port();
        server = TestServer.start(Map.of(Setting.BASE_URL, "http://links.test:8080", Setting.DNS_RESOLVER, dns.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        dns.close();
        dev.linkpulse.support.TempDirs.delete(dir);
    }

    static String key(String workspace) {
        return server.createKey(workspace, "read,write,delete,analytics", workspace);
    }

    static Http.Response send(String key, String method, String path, Object body) {
        return server.http().send(method, path, body == null ? null : Http.json(body), server.auth(key));
    }

    static JsonNode ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.json().get("data");
    }

    static void bad(Http.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("error").get("details").get("field").asText()).as(r.body()).isEqualTo(field);
    }

    /** A redirect request with a Host header of our choosing (java.net.http refuses to set Host): status and Location. */
    static String[] get(String host, String path) throws Exception {
        return get(server.port(), host, path);
    }

    static String[] get(int port, String host, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: DomainsApiTest\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = in.readLine().split(" ")[1];
            String location = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.regionMatches(true, 0, "Location:", 0, 9)) {
                    location = line.substring(9).strip();
                }
            }
            return new String[] {status, location};
        }
    }

    @Test
    void subdomainsAreCheckedCreatedListedAndDeletedWithForce() throws Exception {
        String key = key("sub-ws");
        JsonNode free = ok(send(key, "GET", "/api/v1/domains/check-subdomain/shop", null), 200);
        assertThat(free.get("available").asBoolean()).isTrue();
        assertThat(free.get("subdomain").asText()).isEqualTo("shop");
        for (String bad : List.of("ab", "-shop", "shop-", "sh_op", "www", "api", "x".repeat(64))) {
            JsonNode r = ok(send(key, "GET", "/api/v1/domains/check-subdomain/" + bad, null), 200);
            assertThat(r.get("available").asBoolean()).as(bad).isFalse();
            bad(send(key, "POST", "/api/v1/domains/subdomains", Map.of("subdomain", bad)), 400, "subdomain");
        }
        bad(send(key, "POST", "/api/v1/domains/subdomains", Map.of("subdomain", "shop", "colour", "red")), 400, "colour");
        JsonNode shop = ok(send(key, "POST", "/api/v1/domains/subdomains", Map.of("subdomain", "Shop", "name", "Shop")), 201);
        assertThat(shop.get("subdomain").asText()).isEqualTo("shop");
        assertThat(shop.get("full_domain").asText()).isEqualTo("shop.links.test");
        assertThat(shop.get("is_verified").asBoolean()).isTrue();
        assertThat(ok(send(key, "GET", "/api/v1/domains/check-subdomain/shop", null), 200).get("available").asBoolean()).isFalse();
        // Taken for every workspace.
        String other = key("sub-other-ws");
        assertThat(send(other, "POST", "/api/v1/domains/subdomains", Map.of("subdomain", "shop")).status()).isEqualTo(409);
        // Another workspace cannot put links on it.
        bad(send(other, "POST", "/api/v1/short-urls", Map.of("url", "https://x.example/", "url_type", "subdomain", "subdomain", "shop")),
                400, "subdomain");
        assertThat(ok(send(key, "GET", "/api/v1/domains/subdomains", null), 200)).hasSize(1);

        // The same alias on the standard domain and on the subdomain: two links, each on its host.
        JsonNode standard = ok(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://standard.example/", "custom_alias", "sale")), 201);
        JsonNode onShop = ok(send(key, "POST", "/api/v1/short-urls",
                Map.of("url", "https://shop.example/", "custom_alias", "sale", "url_type", "subdomain", "subdomain", "shop")), 201);
        assertThat(standard.get("short_url").asText()).isEqualTo("http://links.test:8080/sale");
        assertThat(onShop.get("short_url").asText()).isEqualTo("http://shop.links.test:8080/sale");
        assertThat(onShop.get("url_type").asText()).isEqualTo("subdomain");
        assertThat(onShop.get("subdomain").asText()).isEqualTo("shop");
        assertThat(send(key, "POST", "/api/v1/short-urls",
                Map.of("url", "https://dup.example/", "custom_alias", "sale", "subdomain", "shop")).status()).isEqualTo(409);
        JsonNode check = ok(send(key, "GET", "/api/v1/short-urls/check-alias?alias=sale&domain=shop.links.test", null), 200);
        assertThat(check.get("available").asBoolean()).isFalse();
        assertThat(check.get("url_type").asText()).isEqualTo("subdomain");
        assertThat(check.get("full_url").asText()).isEqualTo("http://shop.links.test:8080/sale");
        assertThat(ok(send(key, "GET", "/api/v1/short-urls/check-alias?alias=other&subdomain=shop", null), 200)
                .get("available").asBoolean()).isTrue();

        // Redirects resolve the code within the Host; any other host is the standard domain.
        assertThat(get("shop.links.test", "/sale")).containsExactly("301", "https://shop.example/");
        assertThat(get("SHOP.links.test:8080", "/sale")).containsExactly("301", "https://shop.example/");
        assertThat(get("links.test", "/sale")).containsExactly("301", "https://standard.example/");
        assertThat(get("127.0.0.1", "/sale")).containsExactly("301", "https://standard.example/");
        assertThat(get("proxy.internal", "/sale")).containsExactly("301", "https://standard.example/");
        assertThat(get("unknown.links.test", "/sale")).containsExactly("301", "https://standard.example/");
        JsonNode onlyShop = ok(send(key, "POST", "/api/v1/short-urls",
                Map.of("url", "https://only.example/", "custom_alias", "only-shop", "subdomain", "shop")), 201);
        assertThat(get("shop.links.test", "/only-shop")[0]).isEqualTo("301");
        assertThat(get("links.test", "/only-shop")[0]).isEqualTo("404");

        // url_type filter
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?url_type=subdomain", null), 200).get("pagination").get("total").asLong()).isEqualTo(2);
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?urlType=standard", null), 200).get("pagination").get("total").asLong()).isEqualTo(1);
        bad(send(key, "GET", "/api/v1/short-urls?url_type=custom", null), 400, "url_type");
        bad(send(key, "PATCH", "/api/v1/short-urls/" + onlyShop.get("id").asText(), Map.of("subdomain", "other")), 400, "subdomain");

        // In use: refused without force; with force its links go (the standard one stays).
        Http.Response refused = send(key, "DELETE", "/api/v1/domains/subdomains/shop", null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        bad(send(key, "DELETE", "/api/v1/domains/subdomains/shop?force=yes", null), 400, "force");
        JsonNode gone = ok(send(key, "DELETE", "/api/v1/domains/subdomains/" + shop.get("id").asText() + "?force=true", null), 200);
        assertThat(gone.get("links_deleted").asInt()).isEqualTo(2);
        assertThat(send(key, "GET", "/api/v1/short-urls/" + onShop.get("id").asText(), null).status()).isEqualTo(404);
        assertThat(get("shop.links.test", "/sale")).containsExactly("301", "https://standard.example/");
        assertThat(get("shop.links.test", "/only-shop")[0]).isEqualTo("404");
        assertThat(ok(send(key, "GET", "/api/v1/domains/subdomains", null), 200)).isEmpty();
    }

    @Test
    void aBrandedDomainIsVerifiedByItsTxtRecordThroughRealDns() throws Exception {
        String key = key("brand-ws");
        bad(send(key, "POST", "/api/v1/domains/branded", Map.of("domain", "not a host")), 400, "domain");
        bad(send(key, "POST", "/api/v1/domains/branded", Map.of("domain", "links.test")), 400, "domain");
        bad(send(key, "POST", "/api/v1/domains/branded", Map.of("domain", "x.links.test")), 400, "domain");
        bad(send(key, "POST", "/api/v1/domains/branded", Map.of("domain", "localhost")), 400, "domain");
        bad(send(key, "POST", "/api/v1/domains/branded", Map.of("domain", "go.brand.example", "verified", true)), 400, "verified");
        JsonNode brand = ok(send(key, "POST", "/api/v1/domains/branded", Map.of("domain", "Go.Brand.Example")), 201);
        assertThat(brand.get("domain").asText()).isEqualTo("go.brand.example");
        assertThat(brand.get("is_verified").asBoolean()).isFalse();
        JsonNode verification = brand.get("verification");
        assertThat(verification.get("type").asText()).isEqualTo("TXT");
        assertThat(verification.get("name").asText()).isEqualTo("_linkpulse.go.brand.example");
        assertThat(verification.get("cname_target").asText()).isEqualTo("links.test");
        String token = verification.get("value").asText();
        assertThat(token).startsWith("linkpulse-verify=");
        assertThat(send(key("brand-other-ws"), "POST", "/api/v1/domains/branded", Map.of("domain", "go.brand.example")).status()).isEqualTo(409);

        // Unverified: no links on it, and no record yet.
        bad(send(key, "POST", "/api/v1/short-urls", Map.of("url", "https://b.example/", "url_type", "branded", "branded_domain", "go.brand.example")),
                400, "branded_domain");
        JsonNode notYet = ok(send(key, "POST", "/api/v1/domains/branded/go.brand.example/verify", null), 200);
        assertThat(notYet.get("is_verified").asBoolean()).isFalse();
        assertThat(notYet.get("message").asText()).contains("No TXT record");

        // A DNS server that does not answer is not a missing record.
        dns.close();
        JsonNode noAnswer = ok(send(key, "POST", "/api/v1/domains/branded/go.brand.example/verify", null), 200);
        assertThat(noAnswer.get("is_verified").asBoolean()).isFalse();
        assertThat(noAnswer.get("message").asText()).contains("did not answer");
        // A wrong value, then the right one: the DNS server restarted with each record on the same port.
        dns = Dnsmasq.start(dir, dnsPort, Map.of("_linkpulse.go.brand.example", "linkpulse-verify=wrong"));
        JsonNode wrong = ok(send(key, "POST", "/api/v1/domains/branded/" + brand.get("id").asText() + "/verify", null), 200);
        assertThat(wrong.get("is_verified").asBoolean()).isFalse();
        assertThat(wrong.get("message").asText()).contains("does not hold");
        dns.close();
        dns = Dnsmasq.start(dir, dnsPort, Map.of("_linkpulse.go.brand.example", token));
        JsonNode verified = ok(send(key, "POST", "/api/v1/domains/branded/" + brand.get("id").asText() + "/verify", null), 200);
        assertThat(verified.get("is_verified").asBoolean()).as(verified.toString()).isTrue();
        assertThat(ok(send(key, "GET", "/api/v1/domains/branded", null), 200).get(0).get("is_verified").asBoolean()).isTrue();

        JsonNode link = ok(send(key, "POST", "/api/v1/short-urls",
                Map.of("url", "https://brand.example/page", "custom_alias", "promo", "branded_domain", "go.brand.example")), 201);
        assertThat(link.get("url_type").asText()).isEqualTo("branded");
        assertThat(link.get("branded_domain").asText()).isEqualTo("go.brand.example");
        assertThat(link.get("short_url").asText()).isEqualTo("http://go.brand.example/promo");
        assertThat(get("go.brand.example", "/promo")).containsExactly("301", "https://brand.example/page");
        assertThat(get("links.test", "/promo")[0]).isEqualTo("404");
        // Bulk: a domain column puts each row on its host.
        Map<String, Object> bulk = new HashMap<>();
        bulk.put("csv_content", "url,alias,domain\nhttps://b1.example/,bulk-one,go.brand.example\nhttps://b2.example/,bulk-two,links.test\n"
                + "https://b3.example/,bulk-three,nowhere.example\n");
        JsonNode created = ok(send(key, "POST", "/api/v1/bulk-urls/create", bulk), 201);
        assertThat(created.get("created_count").asInt()).isEqualTo(2);
        assertThat(created.get("results").get(0).get("short_url").get("short_url").asText()).isEqualTo("http://go.brand.example/bulk-one");
        assertThat(created.get("results").get(1).get("short_url").get("url_type").asText()).isEqualTo("standard");
        assertThat(created.get("results").get(2).get("error").get("field").asText()).isEqualTo("branded_domain");
        assertThat(get("go.brand.example", "/bulk-one")).containsExactly("301", "https://b1.example/");
        assertThat(ok(send(key, "GET", "/api/v1/short-urls?url_type=branded", null), 200).get("pagination").get("total").asLong()).isEqualTo(2);

        assertThat(send(key, "DELETE", "/api/v1/domains/branded/go.brand.example", null).status()).isEqualTo(409);
        assertThat(ok(send(key, "DELETE", "/api/v1/domains/branded/go.brand.example?force=true", null), 200).get("links_deleted").asInt()).isEqualTo(2);
        assertThat(get("go.brand.example", "/promo")[0]).isEqualTo("404");
        assertThat(ok(send(key, "GET", "/api/v1/domains/branded", null), 200)).isEmpty();
    }
}
