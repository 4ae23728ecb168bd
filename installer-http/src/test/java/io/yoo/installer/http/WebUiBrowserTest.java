package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.discovery.InventoryParser;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.ProgressEvent;
import io.yoo.installer.testsupport.Peers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * reload). Saves target/surefire-reports/web-ui/web-ui.png as an artifact.
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
        driver = newDriver();
    }

    private ChromeDriver newDriver() throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
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
                        + driver.findElement(By.id("app")).getText() + "\ndrawer: " + driver.findElement(By.id("drawer")).getText(), e);
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
        assertThat(driver.findElements(By.cssSelector("#machines tbody tr.m"))).hasSize(3);
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
        waiting().until(d -> List.of(d.findElement(By.id("row-node-c")).getAttribute("class").split(" ")).contains("failed"));
        assertThat(driver.findElement(By.cssSelector("#row-node-c td.msg pre")).getText()).contains("sha256sum: kubelet: FAILED");

        s.postEvent("node-a", ta, "{\"phase\":\"installed\",\"status\":\"succeeded\"}");
        waiting().until(d -> d.findElement(By.id("progress-text")).getText().startsWith("1 / 3 done, 1 failed"));
        assertThat(driver.findElement(By.id("count-failed")).getText()).isEqualTo("failed: 1");
        assertThat(driver.findElement(By.id("progress-bar")).getAttribute("style")).contains("33.");

        // elapsed time of the failed machine is frozen at the end state
        String frozen = cell("node-c", "elapsed");
        assertThat(driver.findElement(By.cssSelector("#row-node-c td.elapsed")).getAttribute("class")).contains("frozen");

        // failed first by default
        assertThat(rowNames()).startsWith("node-c");

        // filters: rows filtered out are not in the table at all
        new Select(driver.findElement(By.id("filter-state"))).selectByValue("failed");
        waiting().until(d -> !shown("node-a"));
        assertThat(shown("node-c")).isTrue();
        new Select(driver.findElement(By.id("filter-state"))).selectByValue("");
        new Select(driver.findElement(By.id("filter-role"))).selectByValue("worker");
        waiting().until(d -> !shown("node-a"));
        assertThat(shown("node-b")).isTrue();
        new Select(driver.findElement(By.id("filter-role"))).selectByValue("");
        driver.findElement(By.id("filter-label")).sendKeys("disk=hdd");
        waiting().until(d -> !shown("node-a"));
        assertThat(shown("node-c")).isTrue();
        assertThat(shown("node-b")).isFalse();
        driver.findElement(By.id("filter-label")).clear();
        driver.executeScript("document.getElementById('filter-label').dispatchEvent(new Event('input'))");
        waiting().until(d -> shown("node-a") && shown("node-b"));

        // search: MAC, IP, message
        search("52:54:00:00:00:0b");
        waiting().until(d -> rowNames().equals(List.of("node-b")));
        search("10.9.9");
        waiting().until(d -> rowNames().equals(List.of("node-b")));
        search("checksum mismatch");
        waiting().until(d -> rowNames().equals(List.of("node-c")));
        search("");
        waiting().until(d -> rowNames().size() == 3);

        // a count badge filters; a second click shows all again
        driver.findElement(By.cssSelector("#count-failed button")).click();
        waiting().until(d -> rowNames().equals(List.of("node-c")));
        driver.findElement(By.cssSelector("#count-failed button")).click();
        waiting().until(d -> rowNames().size() == 3);

        // sortable columns: name descending after two clicks
        driver.findElement(By.cssSelector("th[data-sort=name]")).click();
        waiting().until(d -> rowNames().equals(List.of("node-a", "node-b", "node-c")));
        driver.findElement(By.cssSelector("th[data-sort=name]")).click();
        waiting().until(d -> rowNames().equals(List.of("node-c", "node-b", "node-a")));
        assertThat(cell("node-c", "elapsed")).isEqualTo(frozen);

        // node-a's install script uploaded its log (as busybox wget sends it: text)
        HttpResponse<String> up = s.client.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/machines/node-a/log?token=" + ta))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("yoo[node-a]: install of node-a started\n"
                        + "  install-os| wrote the image to /dev/sda\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);

        // the drawer of node-a has its own URL, shows the history by attempt and follows live
        driver.findElement(By.cssSelector("#row-node-a td.name a")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#timeline-events li.event")).size() == 3);
        assertThat(driver.getCurrentUrl()).endsWith("#/machines/node-a");
        waiting().until(d -> d.findElement(By.id("drawer-power")).getText().startsWith("BMC power state: no BMC"));
        // the attempt's install log, fetched when asked
        driver.findElement(By.cssSelector("#timeline-events details.attempt button.show-log")).click();
        waiting().until(d -> d.findElement(By.cssSelector("#timeline-events pre.log")).getText().contains("install-os| wrote the image to /dev/sda"));
        assertThat(driver.findElements(By.cssSelector("#drawer-artifacts a")).getFirst().getAttribute("href"))
                .endsWith("/api/v1/machines/node-a/render/ipxe");
        s.postEvent("node-a", ta, "{\"phase\":\"running\",\"status\":\"succeeded\"}");
        waiting().until(d -> d.findElements(By.cssSelector("#timeline-events li.event")).size() == 4);
        assertThat(driver.findElements(By.cssSelector("#timeline-events li.event")).getLast().getText()).contains("running succeeded");
        driver.findElements(By.cssSelector("#drawer-artifacts a")).getFirst().click();
        waiting().until(d -> d.findElement(By.id("drawer-artifact")).getText().startsWith("#!ipxe"));

        saveScreenshot("web-ui.png");

        // reprovision a control-plane machine: only after typing its name
        driver.findElement(By.id("drawer-reprovision")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-typed")));
        assertThat(driver.findElement(By.id("confirm-ok")).isEnabled()).isFalse();
        driver.findElement(By.id("confirm-typed")).sendKeys("node-b");
        assertThat(driver.findElement(By.id("confirm-ok")).isEnabled()).isFalse();
        driver.findElement(By.id("confirm-cancel")).click();
        waiting().until(d -> d.findElement(By.id("status")).getText().equals("nothing reprovisioned"));
        assertThat(s.store.machine("node-a").orElseThrow().generation()).isZero();
        driver.findElement(By.id("drawer-reprovision")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-typed")));
        driver.findElement(By.id("confirm-typed")).sendKeys("node-a");
        driver.findElement(By.id("confirm-ok")).click();
        waiting().until(d -> cell("node-a", "state").equals("unknown"));
        assertThat(s.store.machine("node-a").orElseThrow().generation()).isEqualTo(1);
        driver.findElement(By.id("drawer-close")).click();
        waiting().until(d -> !d.findElement(By.id("drawer")).isDisplayed());

        // bulk: reprovision the failed ones (a worker: confirmation without typing)
        new Select(driver.findElement(By.id("filter-state"))).selectByValue("failed");
        waiting().until(d -> rowNames().equals(List.of("node-c")));
        assertThat(cell("node-c", "elapsed")).isEqualTo(frozen);
        driver.findElement(By.id("bulk-reprovision")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
        assertThat(driver.findElement(By.id("confirm-cp")).isDisplayed()).isFalse();
        driver.findElement(By.id("confirm-ok")).click();
        waiting().until(d -> rowNames().isEmpty());
        assertThat(s.store.stateOf("node-c")).isEqualTo(MachineState.UNKNOWN);
        assertThat(s.store.machine("node-c").orElseThrow().generation()).isEqualTo(1);
        assertThat(s.store.machine("node-b").map(r -> r.generation()).orElse(0)).isZero();
        assertThat(driver.executeScript("return window.noReloadMarker;")).isEqualTo(42L);
    }

    private boolean shown(String machine) {
        return !driver.findElements(By.id("row-" + machine)).isEmpty();
    }

    private List<String> rowNames() {
        return driver.findElements(By.cssSelector("#machines tbody tr.m td.name")).stream().map(WebElement::getText).toList();
    }

    private void search(String text) {
        WebElement in = driver.findElement(By.id("search"));
        in.clear();
        in.sendKeys(text);
        driver.executeScript("document.getElementById('search').dispatchEvent(new Event('input'))");
    }

    /**
     * 5,000 machines (a few failed, some installing, most waiting), then 50 progress events a second
     * for three seconds while the page is open. Prints time to first render, to filter, to open the
     * drawer; bounds are generous and only catch a real regression (a filter over 5,000 is ~10 ms).
     */
    @Test
    void staysFastAtFiveThousandMachines() throws Exception {
        s.close();
        List<Machine> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(Fixtures.machine(String.format("m%04d", i), String.format("52:54:00:01:%02x:%02x", i / 256, i % 256),
                    String.format("10.20.%d.%d", i / 250, 1 + i % 250),
                    i < 3 ? Role.CONTROL_PLANE : Role.WORKER,
                    Map.of("rack", "r" + (i % 40))));
        }
        s = new TestServer(dir.resolve("big"), Function.identity(), Function.identity(), many);
        Instant t = Instant.now().minusSeconds(600);
        for (int i = 0; i < 5000; i += 7) {
            s.store.record(ProgressEvent.callback(String.format("m%04d", i), "install-os",
                    EventStatus.STARTED, "writing image", t));
        }
        for (int i = 0; i < 5000; i += 1000) {
            s.store.record(ProgressEvent.callback(String.format("m%04d", i), "install-os",
                    EventStatus.FAILED, "disk /dev/sda not found", t.plusSeconds(60)));
        }

        long t0 = System.nanoTime();
        driver.get(s.base() + "/#token=" + s.adminToken());
        waiting().until(d -> d.findElement(By.id("progress-text")).getText().startsWith("0 / 5000 done, 5 failed"));
        long firstRenderMs = (System.nanoTime() - t0) / 1_000_000;
        // failed first, and only a window of rows in the DOM
        assertThat(rowNames()).startsWith("m0000", "m1000", "m2000", "m3000", "m4000");
        int domRows = rowNames().size();
        assertThat(domRows).isBetween(20, 200);
        saveScreenshot("web-ui-5000.png");

        // 50 events/s for 3 s while filtering
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sent = new AtomicInteger();
        ScheduledFuture<?> load = ex.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n < 150) {
                s.store.record(ProgressEvent.callback(String.format("m%04d", 1 + (n * 31) % 4999),
                        "step-" + n, EventStatus.STARTED, "event " + n, Instant.now()));
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            long f0 = System.nanoTime();
            search("52:54:00:01:0f:a0");     // m4000's MAC
            waiting().until(d -> rowNames().equals(List.of("m4000")));
            long filterMs = (System.nanoTime() - f0) / 1_000_000;
            Object inPage = driver.executeScript("return window.yooRenderMs;");
            search("");
            waiting().until(d -> d.findElement(By.id("shown")).getText().equals("5000 machines"));

            long s0 = System.nanoTime();
            driver.findElement(By.cssSelector("th[data-sort=ip]")).click();
            waiting().until(d -> rowNames().getFirst().equals("m0000") && rowNames().get(1).equals("m0001"));
            long sortMs = (System.nanoTime() - s0) / 1_000_000;
            Object sortInPage = driver.executeScript("return window.yooRenderMs;");

            // a machine far down the list: scroll to it, open it; the drawer is in view
            driver.executeScript("document.getElementById('table-wrap').scrollTop = 4200 * 30;");
            waiting().until(d -> shown("m4207"));
            long d0 = System.nanoTime();
            driver.findElement(By.cssSelector("#row-m4207 td.name a")).click();
            waiting().until(d -> d.findElement(By.id("drawer-name")).getText().equals("m4207")
                    && !d.findElements(By.cssSelector("#timeline-events li.event")).isEmpty());
            long drawerMs = (System.nanoTime() - d0) / 1_000_000;
            @SuppressWarnings("unchecked")
            Map<String, Object> rect = (Map<String, Object>) driver.executeScript(
                    "const r = document.getElementById('drawer').getBoundingClientRect();"
                            + "return {top: r.top, left: r.left, bottom: r.bottom, right: r.right, vw: innerWidth, vh: innerHeight};");
            assertThat(((Number) rect.get("top")).doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(((Number) rect.get("right")).doubleValue()).isLessThanOrEqualTo(((Number) rect.get("vw")).doubleValue() + 1);
            assertThat(((Number) rect.get("left")).doubleValue()).isLessThan(((Number) rect.get("vw")).doubleValue());
            assertThat(((Number) rect.get("top")).doubleValue()).isLessThan(((Number) rect.get("vh")).doubleValue());
            assertThat(driver.getCurrentUrl()).endsWith("#/machines/m4207");
            saveScreenshot("web-ui-5000-drawer.png");

            waiting().until(d -> sent.get() >= 150);
            // a drawer's URL opens it directly
            driver.get(s.base() + "/#/machines/m0001");
            waiting().until(d -> d.findElement(By.id("drawer-name")).getText().equals("m0001"));
            System.out.printf("web UI at 5000 machines: first render %d ms (page load + snapshot), filter %d ms (in page %s ms),"
                    + " sort %d ms (in page %s ms), drawer %d ms; %d rows in the DOM; %d live events sent%n",
                    firstRenderMs, filterMs, inPage, sortMs, sortInPage, drawerMs, domRows, Math.min(150, sent.get()));
            assertThat(filterMs).as("a filter over 5000 machines").isLessThan(2000);
            assertThat(((Number) inPage).doubleValue()).as("in-page filter+sort+draw").isLessThan(500);
            assertThat(((Number) sortInPage).doubleValue()).as("in-page sort by IP").isLessThan(500);
            assertThat(firstRenderMs).as("first render of 5000 machines").isLessThan(10000);
        } finally {
            load.cancel(false);
            ex.shutdownNow();
        }
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

    /** A DHCPv6 one is named as such, without the proxy-mode advice, which only helps against a DHCPv4 server. */
    @Test
    void aForeignDhcpv6ServerShowsABannerWordedForDhcpv6() {
        s.server.services().foreignDhcp().update(ForeignDhcpServers.DHCP6, List.of(new ForeignDhcpServers.Server("fe80::5054:ff:fe85:2",
                "DHCPv6 server fe80::5054:ff:fe85:2 offers [fd00:85::2a0]", Instant.now())));
        driver.get(s.base() + "/#token=" + s.adminToken());
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("foreign-dhcp")));
        assertThat(driver.findElement(By.id("foreign-dhcp")).getText())
                .contains("Another DHCPv6 server answers on the install network: DHCPv6 server fe80::5054:ff:fe85:2 offers [fd00:85::2a0]")
                .contains("addresses or boot file").doesNotContain("network.dhcp: proxy");
        // and a DHCPv4 one beside it: the advice again, said to be for that one
        s.server.services().foreignDhcp().update(List.of(new ForeignDhcpServers.Server("10.12.0.66",
                "server 10.12.0.66 (from 10.12.0.66) offers 10.12.0.150", Instant.now())));
        driver.navigate().refresh(); // the page asks at start (then every 15 s)
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("foreign-dhcp"), "network.dhcp: proxy"));
        assertThat(driver.findElement(By.id("foreign-dhcp")).getText()).startsWith("Another DHCP server answers")
                .contains("10.12.0.66", "fe80::5054:ff:fe85:2", "does not help against a DHCPv6 one");
    }

    @Test
    void asksForTheTokenWhenItHasNone() {
        driver.get(s.base() + "/");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        driver.findElement(By.id("token-input")).sendKeys(s.adminToken());
        driver.findElement(By.cssSelector("#login-form button")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(driver.findElements(By.cssSelector("#machines tbody tr.m"))).hasSize(3);
    }

    static void saveScreenshot(ChromeDriver driver, String name) throws Exception {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(System.getProperty("yoo.projectRoot", "."), "installer-http", "target");
        if (!Files.isDirectory(target)) {
            target = Path.of("target");
        }
        Path dir = Files.createDirectories(target.resolve("surefire-reports").resolve("web-ui"));
        Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private void saveScreenshot(String name) throws Exception {
        saveScreenshot(driver, name);
    }

    /**
     * The Discovered section: machines that reported their inventory appear with it (disk size, NIC
     * MAC); Reject marks one rejected; Enroll sends the form and shows the server's answer (this
     * test server has no live descriptor to enroll into, so the answer is its refusal).
     */
    @Test
    void discoveredMachinesAreListedWithTheirInventoryAndCanBeRejected() throws Exception {
        for (String mac : new String[] {"52:54:00:55:00:01", "52:54:00:55:00:02"}) {
            String json = "{\"bootMac\": \"" + mac + "\", \"system\": {\"vendor\": \"QEMU\", \"serial\": \"SN-" + mac.substring(15) + "\"},"
                    + " \"disks\": [{\"name\": \"vda\", \"sizeBytes\": 4294967296, \"rotational\": false}],"
                    + " \"nics\": [{\"name\": \"eth0\", \"mac\": \"" + mac + "\", \"link\": \"up\", \"speedMbps\": 1000}]}";
            s.store.report(InventoryParser.parse(json.getBytes(StandardCharsets.UTF_8)),
                    Optional.empty(), Instant.now());
        }
        driver.get(s.base() + "/#token=" + s.adminToken());
        waiting().until(ExpectedConditions.textToBe(By.id("live"), "live"));
        waiting().until(d -> d.findElement(By.id("discovered")).isDisplayed() && d.findElement(By.id("discovered-count")).getText().equals("2"));
        driver.findElement(By.cssSelector("#discovered summary")).click();
        WebElement first = driver.findElement(By.id("discovered-1"));
        assertThat(first.getText()).contains("52:54:00:55:00:01").contains("SN-01").contains("vda 4.0 GiB SSD").contains("1000 Mb/s");
        driver.findElement(By.cssSelector("#discovered-2 button.reject")).click();
        driver.switchTo().alert().accept();
        waiting().until(d -> d.findElement(By.cssSelector("#discovered-2 .badge")).getText().equals("rejected"));
        assertThat(driver.findElement(By.id("discovered-count")).getText()).isEqualTo("1");
        driver.findElement(By.cssSelector("#discovered-1 button.enroll")).click();
        driver.findElement(By.id("enroll-name")).sendKeys("node-9");
        driver.findElement(By.id("enroll-ok")).click();
        waiting().until(d -> !d.findElement(By.id("enroll-error")).getText().isEmpty());
        assertThat(driver.findElement(By.id("enroll-error")).getText()).contains("cannot enroll");
    }
}
