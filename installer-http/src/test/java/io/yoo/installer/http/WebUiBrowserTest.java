package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian chromium + chromedriver): boots a server with
 * fake machines, posts progress events over HTTP, and checks the table follows live (SSE, no
 * reload). Saves target/web-ui.png as an artifact.
 */
class WebUiBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    TestServer s;
    ChromeDriver driver;

    @BeforeEach
    void start() throws Exception {
        Peers.require(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM), "chromium + chromium-driver not installed");
        s = new TestServer(dir);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (s != null) {
            s.close();
        }
    }

    /** Waits for a condition; on timeout fails with what the page showed. */
    private Waiter waiting() {
        return new Waiter();
    }

    private final class Waiter {
        <T> T until(Function<org.openqa.selenium.WebDriver, T> condition) {
            WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(20));
            w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            try {
                return w.until(condition::apply);
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("page showed: live=" + driver.findElement(By.id("live")).getText() + "\n"
                        + driver.findElement(By.id("app")).getText(), e);
            }
        }
    }

    private String cell(String machine, String cls) {
        return driver.findElement(By.cssSelector("#row-" + machine + " td." + cls)).getText();
    }

    @Test
    void tableFollowsProgressLiveAndReprovisionWorks() throws Exception {
        driver.get(s.base() + "/#token=" + s.adminToken());
        waiting().until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(driver.findElements(By.cssSelector("#machines tbody tr"))).hasSize(3);
        assertThat(cell("node-a", "state")).isEqualTo("unknown");
        assertThat(cell("node-a", "mac")).isEqualTo("52:54:00:00:00:0a");
        assertThat(cell("node-a", "ip")).isEqualTo("127.0.0.1");
        assertThat(cell("node-a", "role")).isEqualTo("control-plane");
        assertThat(cell("node-a", "labels")).contains("rack=r1").contains("disk=ssd");
        assertThat(driver.findElement(By.id("progress-text")).getText()).startsWith("0 / 3 done");

        // the machine fetches its boot script and reports progress; the page must follow without reload
        driver.executeScript("window.noReloadMarker = 42;");
        s.get("/boot/by-mac/52:54:00:00:00:0a.ipxe");
        waiting().until(d -> cell("node-a", "state").equals("booting"));
        String ta = s.tokens.tokenFor("node-a");
        s.postEvent("node-a", ta, "{\"phase\":\"install-os\",\"status\":\"started\",\"message\":\"writing image to /dev/sda\"}");
        waiting().until(d -> cell("node-a", "phase").equals("install-os (started)"));
        assertThat(cell("node-a", "state")).isEqualTo("installing");
        assertThat(cell("node-a", "msg")).isEqualTo("writing image to /dev/sda");
        assertThat(cell("node-a", "elapsed")).matches("\\d+s|\\d+m \\d+s");

        String tc = s.tokens.tokenFor("node-c");
        s.postEvent("node-c", tc, "{\"phase\":\"kubernetes-bundle\",\"status\":\"failed\",\"message\":\"sha256sum: kubelet: FAILED\\nchecksum mismatch\"}");
        waiting().until(d -> "failed".equals(d.findElement(By.id("row-node-c")).getAttribute("class")));
        assertThat(driver.findElement(By.cssSelector("#row-node-c td.msg pre")).getText()).contains("sha256sum: kubelet: FAILED");

        s.postEvent("node-a", ta, "{\"phase\":\"installed\",\"status\":\"succeeded\"}");
        waiting().until(d -> d.findElement(By.id("progress-text")).getText().startsWith("1 / 3 done, 1 failed"));
        assertThat(driver.findElement(By.id("count-failed")).getText()).isEqualTo("failed: 1");
        assertThat(driver.findElement(By.id("progress-bar")).getAttribute("style")).contains("33.");

        // filters
        new Select(driver.findElement(By.id("filter-state"))).selectByValue("failed");
        waiting().until(d -> !d.findElement(By.id("row-node-a")).isDisplayed());
        assertThat(driver.findElement(By.id("row-node-c")).isDisplayed()).isTrue();
        new Select(driver.findElement(By.id("filter-state"))).selectByValue("");
        new Select(driver.findElement(By.id("filter-role"))).selectByValue("worker");
        waiting().until(d -> !d.findElement(By.id("row-node-a")).isDisplayed());
        assertThat(driver.findElement(By.id("row-node-b")).isDisplayed()).isTrue();
        new Select(driver.findElement(By.id("filter-role"))).selectByValue("");
        driver.findElement(By.id("filter-label")).sendKeys("disk=hdd");
        waiting().until(d -> !d.findElement(By.id("row-node-a")).isDisplayed());
        assertThat(driver.findElement(By.id("row-node-c")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("row-node-b")).isDisplayed()).isFalse();
        driver.findElement(By.id("filter-label")).clear();
        driver.executeScript("document.getElementById('filter-label').dispatchEvent(new Event('input'))");

        // timeline of node-a, live-appended
        driver.findElement(By.cssSelector("#row-node-a td.name a")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#timeline-events li")).size() == 3);
        s.postEvent("node-a", ta, "{\"phase\":\"running\",\"status\":\"succeeded\"}");
        waiting().until(d -> d.findElements(By.cssSelector("#timeline-events li")).size() == 4);
        assertThat(driver.findElements(By.cssSelector("#timeline-events li")).getLast().getText()).contains("running succeeded");

        saveScreenshot();

        // reprovision the failed machine from the UI
        WebElement button = driver.findElement(By.cssSelector("#row-node-c button.reprovision"));
        button.click();
        waiting().until(d -> cell("node-c", "state").equals("unknown"));
        assertThat(s.store.stateOf("node-c")).isEqualTo(MachineState.UNKNOWN);
        assertThat(s.store.machine("node-c").orElseThrow().generation()).isEqualTo(1);

        assertThat(driver.executeScript("return window.noReloadMarker;")).isEqualTo(42L);
    }

    /** A foreign DHCP server found by the server's probe shows as a banner above the machines. */
    @Test
    void aForeignDhcpServerShowsABanner() {
        s.server.services().foreignDhcp().update(List.of(new ForeignDhcpServers.Server("10.12.0.66",
                "server 10.12.0.66 (from 10.12.0.66) offers 10.12.0.150", Instant.now())));
        driver.get(s.base() + "/#token=" + s.adminToken());
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("foreign-dhcp")));
        assertThat(driver.findElement(By.id("foreign-dhcp")).getText())
                .contains("Another DHCP server answers on the install network: server 10.12.0.66 (from 10.12.0.66) offers 10.12.0.150")
                .contains("network.dhcp: proxy");
    }

    @Test
    void asksForTheTokenWhenItHasNone() {
        driver.get(s.base() + "/");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        driver.findElement(By.id("token-input")).sendKeys(s.adminToken());
        driver.findElement(By.cssSelector("#login-form button")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(driver.findElements(By.cssSelector("#machines tbody tr"))).hasSize(3);
    }

    private void saveScreenshot() throws Exception {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(System.getProperty("yoo.projectRoot", "."), "installer-http", "target");
        if (!Files.isDirectory(target)) {
            target = Path.of("target");
        }
        Files.createDirectories(target);
        Files.copy(shot, target.resolve("web-ui.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
