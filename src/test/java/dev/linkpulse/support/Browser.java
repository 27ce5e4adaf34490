package dev.linkpulse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Headless Chromium on the dashboard of a {@link TestServer}, for the browser tests (tag "browser",
 * run by the browser-tests profile): Debian's /usr/bin/chromium through /usr/bin/chromedriver, the
 * admin key's sign-in, and the check every dashboard page passes (axe's WCAG 2 A/AA rules, nothing
 * wider than the screen, no unformatted value shown) with screenshots under target/screenshots/.
 */
public final class Browser implements AutoCloseable {

    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    public static final Path SHOTS = Path.of("target/screenshots");
    /** What a page's main text never shows unless told otherwise: a value the page forgot to format. */
    public static final List<String> UNFORMATTED = List.of("null", "undefined");

    private final TestServer server;
    private final WebDriver driver;
    private final WebDriverWait wait;

    private Browser(TestServer server, WebDriver driver, Duration wait) {
        this.server = server;
        this.driver = driver;
        this.wait = new WebDriverWait(driver, wait);
    }

    /** Chromium at desktop size, waiting up to 10 s for a page to get where a test expects. */
    public static Browser start(TestServer server) throws IOException {
        return start(server, Duration.ofSeconds(10), null);
    }

    /**
     * Chromium at desktop size, waiting up to {@code wait}; downloads land in {@code downloads}
     * (emptied first, so a file found there was downloaded by this run) unless it is null.
     */
    public static Browser start(TestServer server, Duration wait, Path downloads) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US");
        if (downloads != null) {
            if (Files.exists(downloads)) {
                TempDirs.delete(downloads);
            }
            Files.createDirectories(downloads);
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                    "download.prompt_for_download", false));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
        Files.createDirectories(SHOTS);
        return new Browser(server, driver, wait);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits up to the time given at start. */
    public WebDriverWait waiting() {
        return wait;
    }

    /** The server's address as the browser reaches it, e.g. {@code http://127.0.0.1:41234}. */
    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Signs in from a fresh session: the sign-in form shows, and the admin key (typed, then Enter) leads to the Overview. */
    public void signIn() {
        driver.get(base() + "/dashboard");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(TestServer.ADMIN_KEY, Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
    }

    /** Opens the dashboard and signs in with the admin key unless this tab's session already is. */
    public void signInUnlessSignedIn() {
        driver.get(base() + "/dashboard");
        WebElement first = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#api-key, #totals")));
        if ("api-key".equals(first.getAttribute("id"))) {
            first.sendKeys(TestServer.ADMIN_KEY, Keys.ENTER);
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        }
    }

    /** {@link #checkPage(String, List)} with the main text showing neither "null" nor "undefined". */
    public void checkPage(String name) throws IOException {
        checkPage(name, UNFORMATTED);
    }

    /**
     * At phone, then desktop size (the window stays at desktop size): axe finds no WCAG 2 A/AA
     * violation, the page never scrolls sideways (a wide table scrolls inside its own box), the
     * main text shows none of {@code neverShown}, and a screenshot {@code SHOTS/<name>-phone.png}
     * and {@code -desktop.png}.
     */
    public void checkPage(String name, List<String> neverShown) throws IOException {
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(driver);
            List<String> violations = results.getViolations().stream()
                    .map((Rule r) -> r.getId() + ": " + r.getHelp() + " " + r.getNodes().stream().map(n -> n.getTarget().toString()).toList())
                    .toList();
            assertThat(violations).as(name + " at " + size).isEmpty();
            // Empty unless the document is wider than the window; then what sticks out, for the message.
            Object wide = ((JavascriptExecutor) driver).executeScript(
                    "const d = document.documentElement; if (d.scrollWidth <= d.clientWidth) return '';"
                    + "return d.scrollWidth + ' > ' + d.clientWidth + ': ' + [...document.querySelectorAll('main *')]"
                    + ".filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('.table-wrap'))"
                    + ".slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ');");
            assertThat(String.valueOf(wide)).as(name + " at " + size + ": wider than the screen").isEmpty();
            String main = driver.findElement(By.id("main")).getText();
            for (String word : neverShown) {
                assertThat(main).as(name).doesNotContain(word);
            }
            screenshot(name, size);
        }
    }

    /** Screenshots only, at phone and then desktop size: {@code SHOTS/<name>-phone.png} and {@code -desktop.png}. */
    public void screenshots(String name) throws IOException {
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            screenshot(name, size);
        }
    }

    private void screenshot(String name, Dimension size) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + "-" + (size.equals(PHONE) ? "phone" : "desktop") + ".png"), png);
    }

    /** Quits Chromium and its chromedriver. */
    @Override
    public void close() {
        driver.quit();
    }
}
