package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A click is a redirect the visitor received. When the connection is gone before the answer is
 * written (the idle timeout closing a kept-alive connection just as a request comes in did this),
 * browsers and HTTP clients send the GET again: had the first attempt been recorded, the click
 * would count twice. Here the client resets the connection right after its request, so the server
 * answers into a closed connection every time.
 */
class UndeliveredRedirectTest {

    static final int RESETS = 100;
    static final int DELIVERED = 3;
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRedirectAnsweredIntoAClosedConnectionIsNoClick() throws Exception {
        String code = server.createLink(Map.of("url", "https://example.com/undelivered")).get("short_code").asText();
        assertUndeliveredAreNotCountedButDeliveredAre(code, "", 301);
    }

    @Test
    void aSmartRedirectAnsweredIntoAClosedConnectionIsNoClick() throws Exception {
        String code = server.createLink(Map.of("url", "https://example.com/undelivered-smart")).get("short_code").asText();
        Http.Response put = server.http().send("PUT", "/api/v1/short-urls/" + code + "/rules", Http.json(Map.of("rules",
                List.of(Map.of("destination_url", "https://ff.example.com/",
                        "conditions", List.of(Map.of("type", "browser", "value", "firefox")))))), server.admin());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertUndeliveredAreNotCountedButDeliveredAre(code, "", 302);
    }

    /**
     * A limited link takes a click from its limit as it decides the answer; an answer that never
     * arrives gives it back, or the visitor's own retry would find the limit used up by nobody.
     */
    @Test
    void aLimitedLinksUndeliveredRedirectsGiveTheirClickBack() throws Exception {
        var link = server.createLink(Map.of("url", "https://example.com/undelivered-limited", "max_clicks", 30));
        String code = link.get("short_code").asText();
        assertEveryUnitGoesToADeliveredRedirect(link, 30, () -> sendThenReset(code),
                () -> server.http().get("/" + code, "User-Agent", FIREFOX));
    }

    /**
     * A protected link's form POSTs the password; its redirect is written before the click is
     * recorded too, though clients do not resend a POST: a lost answer is no click, and a limited
     * link's unit comes back for the visitor's next try.
     */
    @Test
    void aPasswordRedirectAnsweredIntoAClosedConnectionIsNoClickAndGivesItsUnitBack() throws Exception {
        var link = server.createLink(Map.of("url", "https://example.com/undelivered-vault", "password", "open sesame 1",
                "max_clicks", 30));
        String code = link.get("short_code").asText();
        byte[] form = "password=open+sesame+1".getBytes(StandardCharsets.ISO_8859_1);
        assertEveryUnitGoesToADeliveredRedirect(link, 30,
                () -> sendThenResetRequest("POST /" + code + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + FIREFOX
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length + "\r\n\r\n"
                        + new String(form, StandardCharsets.ISO_8859_1)),
                () -> server.http().post("/" + code, "application/x-www-form-urlencoded", form, "User-Agent", FIREFOX));
    }

    interface Reset {
        void send() throws IOException;
    }

    /**
     * {@link #RESETS} requests reset as sent, then delivered ones until the limit is used up: every
     * unit of the limit goes to a stored click, and the stored clicks are the delivered redirects
     * (and any reset request whose answer the kernel took before the reset, see below).
     */
    private static void assertEveryUnitGoesToADeliveredRedirect(JsonNode link, int limit, Reset reset,
            java.util.function.Supplier<Http.Response> ask) throws Exception {
        String code = link.get("short_code").asText();
        String linkId = link.get("id").asText();
        double answeredBefore = redirectsAnswered(302) + redirectsAnswered(410);
        for (int i = 0; i < RESETS; i++) {
            reset.send();
        }
        TestServer.await(Duration.ofSeconds(10), () -> redirectsAnswered(302) + redirectsAnswered(410) >= answeredBefore + RESETS * 3 / 4);
        int through = 0;
        for (int i = 0; i < 3 * limit; i++) {
            Http.Response r = ask.get();
            if (r.status() == 302) {
                through++;
                continue;
            }
            assertThat(r.status()).isEqualTo(410);
            // Used up, or a give-back still on its way (it runs just after the failed write)? Wait
            // until each unit taken belongs to a stored click, then ask again if one came back.
            TestServer.await(Duration.ofSeconds(20), () -> {
                server.awaitRecorderIdle();
                return usedClicks(linkId) == total(code);
            });
            if (usedClicks(linkId) == limit) {
                break;
            }
        }
        TestServer.await(Duration.ofSeconds(20), () -> total(code) >= limit);
        server.awaitRecorderIdle();
        assertThat(total(code)).isEqualTo(limit);
        assertThat(limit - through).as("reset requests that kept their unit (and were stored)").isBetween(0, RESETS / 4);
        System.out.printf("%s: %d of %d clicks of the limit went to delivered redirects after %d resets%n", code, through, limit, RESETS);
    }

    /** A code asked with a trailing slash is the same redirect, recorded the same way. */
    @Test
    void aRedirectAskedWithATrailingSlashIsNoClickEitherWhenUndelivered() throws Exception {
        String code = server.createLink(Map.of("url", "https://example.com/undelivered-slash")).get("short_code").asText();
        Http.Response r = server.http().get("/" + code + "/");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("https://example.com/undelivered-slash");
        TestServer.await(Duration.ofSeconds(20), () -> total(code) == 1);
        assertUndeliveredAreNotCountedButDeliveredAre(code, "/", 301);
    }

    private static void assertUndeliveredAreNotCountedButDeliveredAre(String code, String suffix, int status) throws Exception {
        double answeredBefore = redirectsAnswered(status);
        long storedBefore = total(code);
        for (int i = 0; i < RESETS; i++) {
            sendThenReset(code + suffix);
        }
        // The server does answer them: the test exercises the undelivered case, not requests never read.
        TestServer.await(Duration.ofSeconds(10), () -> redirectsAnswered(status) >= answeredBefore + RESETS * 3 / 4);
        for (int i = 0; i < DELIVERED; i++) {
            assertThat(server.http().get("/" + code + suffix, "User-Agent", FIREFOX).status()).isEqualTo(status);
        }
        TestServer.await(Duration.ofSeconds(20), () -> total(code) >= storedBefore + DELIVERED);
        server.awaitRecorderIdle();
        long stored = total(code) - storedBefore - DELIVERED;
        System.out.printf("%s: %.0f of %d reset requests answered, %d stored%n", code,
                redirectsAnswered(status) - answeredBefore - DELIVERED, RESETS, stored);
        // Recording them before the answer was written stored all 100. A few can still count: when
        // the server writes before the reset reaches it, the write succeeds, and that is all a
        // server can know of delivery.
        assertThat(stored).as("reset requests stored as clicks").isBetween(0L, RESETS / 4L);
    }

    private static long usedClicks(String linkId) {
        try (java.sql.Connection c = server.openStoreConnection();
                java.sql.PreparedStatement st = c.prepareStatement("SELECT used_clicks FROM smart_links WHERE link_id = ?")) {
            st.setString(1, linkId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("the limited link's row").isTrue();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long total(String code) {
        return server.clickLog(code, "?limit=1").get("pagination").get("total").asLong();
    }

    /** A GET whose connection is reset (SO_LINGER 0) as soon as it is sent: the answer cannot arrive. */
    private static void sendThenReset(String path) throws IOException {
        sendThenResetRequest("GET /" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + FIREFOX + "\r\n\r\n");
    }

    private static void sendThenResetRequest(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoLinger(true, 0);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static double redirectsAnswered(int status) {
        return server.metric("linkpulse_redirects_total{status=\"" + status + "\"}");
    }
}
