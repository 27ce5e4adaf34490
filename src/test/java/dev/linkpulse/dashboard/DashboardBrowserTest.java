package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: sign in, create a link, click it, watch the click arrive on
 * the live feed and in the charts. Every page passes axe's WCAG 2 A/AA rules and is saved as a
 * screenshot at desktop and phone size under target/screenshots/.
 */
@Tag("browser")
class DashboardBrowserTest {

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SHOTS = Path.of("target/screenshots");
    static final Path DOWNLOADS = Path.of("target/browser-downloads").toAbsolutePath();

    static TestServer server;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US");
        emptyDirectory(DOWNLOADS);
        options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
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

    @Test
    void signInCreateClickAndWatchTheClickArrive() throws Exception {
        driver.get(base() + "/dashboard");
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        checkPage("sign-in");

        key.sendKeys("lp_not_a_real_key_at_all_000000000000000000000");
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.error")));
        assertThat(error.getText()).contains("not accepted");
        key.clear();
        key.sendKeys(TestServer.ADMIN_KEY, Keys.ENTER); // the keyboard alone signs in
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#totals .stat")));
        checkPage("overview-empty");

        driver.findElement(By.linkText("Links")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Links"));
        driver.findElement(By.id("new-url")).sendKeys("https://example.com/launch");
        driver.findElement(By.id("new-alias")).sendKeys("launch-day");
        driver.findElement(By.id("new-name")).sendKeys("Launch announcement", Keys.ENTER); // and creates a link
        WebElement created = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result a.short-url")));
        String shortUrl = created.getText();
        assertThat(shortUrl).endsWith("/launch-day");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Launch announcement")));
        checkPage("links");

        driver.findElement(By.linkText("Launch announcement")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Launch announcement"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#live .panel-body"), "Live"));

        HttpResponse<Void> click = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/launch-day"))
                .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
                .header("Referer", "https://news.ycombinator.com/item?id=1").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(click.statusCode()).isEqualTo(301); // a link is not dynamic unless asked

        WebElement feedItem = new WebDriverWait(driver, Duration.ofSeconds(5))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#live li.click")));
        assertThat(feedItem.getText()).contains("desktop").contains("news.ycombinator.com");

        server.awaitClicks("launch-day", 1);
        driver.findElement(By.cssSelector(".filters button.primary")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#totals .stat-value"), "1"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#series .u-wrap")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#referrers table"), "news.ycombinator.com"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#browsers table"), "Chrome"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#quality"), "Humans"));
        checkPage("link");

        driver.findElement(By.linkText("Overview")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#totals .stat-value"), "1"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#devices table"), "desktop"));
        checkPage("overview");

        // Keyboard: the skip link (first in the page) shows when focused and moves focus to the content.
        WebElement skip = driver.findElement(By.cssSelector("a.skip"));
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].focus()", skip);
        assertThat(skip.getRect().getX()).isGreaterThanOrEqualTo(0);
        skip.sendKeys(Keys.ENTER);
        wait.until(d -> "main".equals(d.switchTo().activeElement().getAttribute("id")));
        // A delete asks first, in a dialog that Escape closes without deleting.
        driver.findElement(By.linkText("Links")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[aria-label='Delete launch-day']")))
                .sendKeys(Keys.ENTER);
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("dialog")));
        assertThat(dialog.getText()).contains("cannot be undone");
        checkPage("delete-dialog");
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.tagName("dialog")));
        assertThat(server.http().get("/launch-day").status()).isEqualTo(301);
    }

    @Test
    void theExportedCsvOfALinkTurnsFormulaLikeValuesIntoText() throws Exception {
        server.createLink(java.util.Map.of("url", "https://example.com/sheet", "custom_alias", "sheet"));
        for (String agent : List.of("@SUM(A1)", "+1+1")) {
            assertThat(server.http().get("/sheet", "User-Agent", agent).status()).isEqualTo(301);
        }
        server.awaitClicks("sheet", 2);
        signIn();
        Path file;
        try {
            driver.get(base() + "/dashboard/links/sheet?traffic=all");
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[text()='Export CSV']"))).click();
            file = new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
                try (var files = Files.list(DOWNLOADS)) {
                    return files.filter(f -> f.getFileName().toString().startsWith("sheet-clicks-") && f.toString().endsWith(".csv"))
                            .findFirst().orElse(null);
                } catch (IOException e) {
                    return null;
                }
            });
        } finally {
            // The other test starts signed out.
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        }
        List<List<String>> rows = dev.linkpulse.common.Csv.parse(Files.readString(file)).records();
        int ua = rows.get(0).indexOf("user_agent");
        assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(ua)).toList()).containsExactlyInAnyOrder("'@SUM(A1)", "'+1+1");
    }

    /** Signs in with the admin key unless this tab already is. */
    void signIn() {
        driver.get(base() + "/dashboard");
        WebElement first = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#api-key, #totals")));
        if ("api-key".equals(first.getAttribute("id"))) {
            first.sendKeys(TestServer.ADMIN_KEY, Keys.ENTER);
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        }
    }

    /** An empty downloads directory for this run, so a file found there was downloaded now. */
    static void emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            dev.linkpulse.support.TempDirs.delete(dir);
        }
        Files.createDirectories(dir);
    }

    @Test
    void theDashboardIsServedWithAStrictContentSecurityPolicy() {
        Http.Response page = server.http().get("/dashboard/links");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(server.http().get("/assets/app.js").status()).isEqualTo(200);
        assertThat(server.http().get("/assets/vendor/uPlot.iife.min.js").status()).isEqualTo(200);
        assertThat(server.http().get("/assets/../pom.xml").status()).isEqualTo(404);
        assertThat(server.http().get("/assets/nope.js").status()).isEqualTo(404);
    }

    /** axe finds no WCAG 2 A/AA violation, at both sizes; a screenshot of each. */
    void checkPage(String name) throws IOException {
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(driver);
            List<String> violations = results.getViolations().stream()
                    .map((Rule r) -> r.getId() + ": " + r.getHelp() + " " + r.getNodes().stream().map(n -> n.getTarget().toString()).toList())
                    .toList();
            assertThat(violations).as(name + " at " + size).isEmpty();
            // The page never scrolls sideways (a wide table scrolls inside its own box).
            Object wide = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "const d = document.documentElement; if (d.scrollWidth <= d.clientWidth) return '';"
                    + "return d.scrollWidth + ' > ' + d.clientWidth + ': ' + [...document.querySelectorAll('main *')]"
                    + ".filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('.table-wrap'))"
                    + ".slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ');");
            assertThat(String.valueOf(wide)).as(name + " at " + size + ": wider than the screen").isEmpty();
            assertThat(driver.findElement(By.id("main")).getText()).as(name).doesNotContain("null").doesNotContain("undefined");
            byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve(name + "-" + (size.equals(PHONE) ? "phone" : "desktop") + ".png"), png);
        }
    }
}
