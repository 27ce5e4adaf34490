package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.qr.QrImages;
import dev.linkpulse.support.Browser;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * QR codes in the dashboard (issue 15), in headless Chromium: a link's QR dialog previews a code
 * that decodes to the short URL, follows the colour picked, downloads an SVG that decodes too; the
 * QR codes page lists codes with thumbnails, scan counts and the last scan; a link's analytics tell
 * link clicks and QR scans apart and filter by trigger. axe finds no WCAG 2 A/AA violation.
 * Screenshots under target/screenshots/qr-*.png.
 */
@Tag("browser")
class QrBrowserTest {

    static final Path DOWNLOADS = Path.of("target/browser-downloads-qr").toAbsolutePath();

    static TestServer server;
    static Browser browser;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        browser = Browser.start(server, Duration.ofSeconds(15), DOWNLOADS);
        driver = browser.driver();
        wait = browser.waiting();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLinksQrDialogPreviewsDownloadsAndFollowsTheColours() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/qr-browser", "custom_alias", "qr-browser"));
        browser.signInUnlessSignedIn();
        driver.findElement(By.linkText("Links")).click();
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='QR code for qr-browser']")));
        button.click();
        WebElement img = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("dialog img.qr-preview")));
        wait.until(d -> String.valueOf(img.getAttribute("src")).startsWith("data:image/png"));
        assertThat(decode(img.getAttribute("src"))).isEqualTo(link.get("short_url").asText());
        String first = img.getAttribute("src");

        ((JavascriptExecutor) driver).executeScript("const i = document.getElementById('qr-fg'); i.value = '#1a2b6c';"
                + "i.dispatchEvent(new Event('change'));");
        wait.until(d -> !first.equals(img.getAttribute("src")));
        var image = ImageIO.read(new ByteArrayInputStream(dataBytes(img.getAttribute("src"))));
        boolean navy = false;
        for (int y = 0; y < image.getHeight() && !navy; y += 4) {
            for (int x = 0; x < image.getWidth() && !navy; x += 4) {
                navy = (image.getRGB(x, y) & 0xFFFFFF) == 0x1a2b6c;
            }
        }
        assertThat(navy).as("the preview is drawn in the colour picked").isTrue();
        assertThat(decode(img.getAttribute("src"))).isEqualTo(link.get("short_url").asText());
        browser.screenshots("qr-dialog");

        driver.findElement(By.xpath("//dialog//button[text()='Download SVG']")).click();
        Path svg = DOWNLOADS.resolve("qr-qr-browser.svg");
        wait.until(d -> Files.exists(svg));
        assertThat(QrImages.decodeSvg(Files.readAllBytes(svg))).isEqualTo(link.get("short_url").asText());
        driver.findElement(By.xpath("//dialog//button[text()='Close']")).click();
    }

    @Test
    void theQrCodesPageListsCodesWithThumbnails() throws Exception {
        Http.Response made = server.http().postJson("/api/v1/qr-codes/generate", "{\"content_type\":\"wifi\",\"name\":\"Guest wifi\","
                + "\"content_data\":{\"ssid\":\"Guest\",\"password\":\"s3cret\"}}", server.admin());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        browser.signInUnlessSignedIn();
        driver.findElement(By.linkText("QR codes")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "QR codes"));
        WebElement thumb = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("img.qr-thumb")));
        wait.until(d -> String.valueOf(thumb.getAttribute("src")).startsWith("data:image/png"));
        assertThat(decode(thumb.getAttribute("src"))).isEqualTo("WIFI:T:WPA;S:Guest;P:s3cret;;");
        assertThat(driver.findElement(By.id("main")).getText()).contains("Guest wifi").contains("wifi (static)");
        browser.screenshots("qr-codes");
        browser.checkPage("qr-codes-axe");
    }

    @Test
    void linkClicksAndQrScansAreToldApart() throws Exception {
        Http.Response made = server.http().postJson("/api/v1/qr-codes/generate", "{\"content_type\":\"url\",\"name\":\"Shop poster\","
                + "\"content_data\":{\"url\":\"https://example.com/poster\"},\"tracking_enabled\":true}", server.admin());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        JsonNode q = made.json().get("data").get("qrCode");
        String content = q.get("content").asText();
        java.net.URI uri = java.net.URI.create(content);
        String scan = uri.getRawPath() + "?" + uri.getRawQuery();
        String ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        server.http().get(scan, "User-Agent", ua, "X-Forwarded-For", "81.2.69.142");
        server.http().get(scan, "User-Agent", ua, "X-Forwarded-For", "81.2.69.160");
        server.http().get(scan.replace("?_qr", ""), "User-Agent", ua, "X-Forwarded-For", "81.2.69.142");
        String link = q.get("short_url_id").asText();
        server.awaitClicks(link, 3);
        browser.signInUnlessSignedIn();
        driver.get(browser.base() + "/dashboard/links/" + link);
        WebElement totals = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totals")));
        wait.until(d -> totals.getText().contains("QR scans"));
        assertThat(stat(totals, "Total clicks")).isEqualTo("3");
        assertThat(stat(totals, "Link clicks")).isEqualTo("1");
        assertThat(stat(totals, "QR scans")).isEqualTo("2");
        browser.checkPage("qr-link-analytics");

        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("f-trigger"))).selectByValue("qr");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().contains("trigger=qr"));
        WebElement scans = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totals")));
        wait.until(d -> scans.getText().contains("QR scans") && "2".equals(stat(scans, "Total clicks")));
        browser.checkPage("qr-scans-only");

        driver.findElement(By.linkText("QR codes")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "QR codes"));
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[td[text()='Shop poster']]")));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(4).getText()).isEqualTo("2");
        assertThat(cells.get(5).getText()).isNotEqualTo("—").isNotBlank();
        WebElement thumb = row.findElement(By.cssSelector("img.qr-thumb"));
        wait.until(d -> String.valueOf(thumb.getAttribute("src")).startsWith("data:image/png"));
        browser.checkPage("qr-codes-scans");
    }

    /** The value of a stat card with this label. */
    static String stat(WebElement panel, String label) {
        for (WebElement s : panel.findElements(By.cssSelector(".stat"))) {
            if (s.findElement(By.cssSelector(".stat-label")).getText().equals(label)) {
                return s.findElement(By.cssSelector(".stat-value")).getText();
            }
        }
        return null;
    }

    static byte[] dataBytes(String dataUrl) {
        return Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1));
    }

    static String decode(String dataUrl) {
        return QrImages.decodePng(dataBytes(dataUrl));
    }
}
