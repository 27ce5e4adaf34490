package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.Browser;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: sign in, create a link, click it, watch the click arrive on
 * the live feed and in the charts. Every page passes axe's WCAG 2 A/AA rules and is saved as a
 * screenshot at desktop and phone size under target/screenshots/.
 */
@Tag("browser")
class DashboardBrowserTest {

    static final Path DOWNLOADS = Path.of("target/browser-downloads").toAbsolutePath();

    static TestServer server;
    static Browser browser;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        browser = Browser.start(server, Duration.ofSeconds(10), DOWNLOADS);
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
    void signInCreateClickAndWatchTheClickArrive() throws Exception {
        driver.get(browser.base() + "/dashboard");
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        browser.checkPage("sign-in");

        key.sendKeys("lp_not_a_real_key_at_all_000000000000000000000");
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.error")));
        assertThat(error.getText()).contains("not accepted");
        key.clear();
        key.sendKeys(TestServer.ADMIN_KEY, Keys.ENTER); // the keyboard alone signs in
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#totals .stat")));
        browser.checkPage("overview-empty");

        driver.findElement(By.linkText("Links")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Links"));
        driver.findElement(By.id("new-url")).sendKeys("https://example.com/launch");
        driver.findElement(By.id("new-alias")).sendKeys("launch-day");
        driver.findElement(By.id("new-name")).sendKeys("Launch announcement", Keys.ENTER); // and creates a link
        WebElement created = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result a.short-url")));
        String shortUrl = created.getText();
        assertThat(shortUrl).endsWith("/launch-day");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Launch announcement")));
        browser.checkPage("links");

        driver.findElement(By.linkText("Launch announcement")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Launch announcement"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#live .panel-body"), "Live"));

        HttpResponse<Void> click = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(browser.base() + "/launch-day"))
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
        browser.checkPage("link");

        driver.findElement(By.linkText("Overview")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#totals .stat-value"), "1"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#devices table"), "desktop"));
        browser.checkPage("overview");

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
        browser.checkPage("delete-dialog");
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
        browser.signInUnlessSignedIn();
        Path file;
        try {
            driver.get(browser.base() + "/dashboard/links/sheet?traffic=all");
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
}
