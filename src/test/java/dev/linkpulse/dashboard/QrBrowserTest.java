package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.qr.QrImages;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SHOTS = Path.of("target/screenshots");
    static final Path DOWNLOADS = Path.of("target/browser-downloads-qr").toAbsolutePath();

    static TestServer server;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US");
        DashboardBrowserTest.emptyDirectory(DOWNLOADS);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    void signIn() {
        driver.get(base() + "/dashboard");
        WebElement first = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#api-key, #totals")));
        if ("api-key".equals(first.getAttribute("id"))) {
            first.sendKeys(TestServer.ADMIN_KEY, Keys.ENTER);
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        }
    }

    @Test
    void aLinksQrDialogPreviewsDownloadsAndFollowsTheColours() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/qr-browser", "custom_alias", "qr-browser"));
        signIn();
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
        shots("qr-dialog");

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
        signIn();
        driver.findElement(By.linkText("QR codes")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "QR codes"));
        WebElement thumb = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("img.qr-thumb")));
        wait.until(d -> String.valueOf(thumb.getAttribute("src")).startsWith("data:image/png"));
        assertThat(decode(thumb.getAttribute("src"))).isEqualTo("WIFI:T:WPA;S:Guest;P:s3cret;;");
        assertThat(driver.findElement(By.id("main")).getText()).contains("Guest wifi").contains("wifi (static)");
        shots("qr-codes");
        checkPage("qr-codes-axe");
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
        signIn();
        driver.get(base() + "/dashboard/links/" + link);
        WebElement totals = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totals")));
        wait.until(d -> totals.getText().contains("QR scans"));
        assertThat(stat(totals, "Total clicks")).isEqualTo("3");
        assertThat(stat(totals, "Link clicks")).isEqualTo("1");
        assertThat(stat(totals, "QR scans")).isEqualTo("2");
        checkPage("qr-link-analytics");

        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("f-trigger"))).selectByValue("qr");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().contains("trigger=qr"));
        WebElement scans = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totals")));
        wait.until(d -> scans.getText().contains("QR scans") && "2".equals(stat(scans, "Total clicks")));
        checkPage("qr-scans-only");

        driver.findElement(By.linkText("QR codes")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "QR codes"));
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[td[text()='Shop poster']]")));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(4).getText()).isEqualTo("2");
        assertThat(cells.get(5).getText()).isNotEqualTo("—").isNotBlank();
        WebElement thumb = row.findElement(By.cssSelector("img.qr-thumb"));
        wait.until(d -> String.valueOf(thumb.getAttribute("src")).startsWith("data:image/png"));
        checkPage("qr-codes-scans");
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

    /** axe finds no WCAG 2 A/AA violation at either size, nothing overflows, and a screenshot of each. */
    void checkPage(String name) throws IOException {
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            com.deque.html.axecore.results.Results results = new com.deque.html.axecore.selenium.AxeBuilder()
                    .withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(driver);
            List<String> violations = results.getViolations().stream()
                    .map(r -> r.getId() + ": " + r.getHelp() + " " + r.getNodes().stream().map(n -> n.getTarget().toString()).toList())
                    .toList();
            assertThat(violations).as(name + " at " + size).isEmpty();
            Object wide = ((JavascriptExecutor) driver).executeScript(
                    "const d = document.documentElement; return d.scrollWidth <= d.clientWidth ? '' : d.scrollWidth + ' > ' + d.clientWidth;");
            assertThat(String.valueOf(wide)).as(name + " at " + size + ": wider than the screen").isEmpty();
            assertThat(driver.findElement(By.id("main")).getText()).as(name).doesNotContain("null").doesNotContain("undefined");
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve(name + "-" + (size.equals(PHONE) ? "phone" : "desktop") + ".png"), png);
        }
    }

    static byte[] dataBytes(String dataUrl) {
        return Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1));
    }

    static String decode(String dataUrl) {
        return QrImages.decodePng(dataBytes(dataUrl));
    }

    void shots(String name) throws IOException {
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve(name + "-" + (size.equals(PHONE) ? "phone" : "desktop") + ".png"), png);
        }
    }
}
