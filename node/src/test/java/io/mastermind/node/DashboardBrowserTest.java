package io.mastermind.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.mastermind.node.TestNode.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (the system's {@code chromium} and {@code chromedriver},
 * nothing downloaded at run time) against a real node with every role and API tokens on: it asks for
 * the token, shows the node, submits a task from the form and sees it complete in the live feed, and
 * shows why a task that cannot be placed is still queued. Its screenshots (overview, task page) are written to
 * {@code target/dashboard.png} and {@code target/dashboard-task.png}, the overview also to {@code docs/dashboard.png}
 * with {@code -Ddashboard.screenshot=docs}.
 *
 * <p>Without a browser the test is skipped, saying why; with the environment variable {@code CI} set a
 * missing browser fails it instead ({@code .ci/run} installs one).
 */
@DisplayName("Dashboard in headless Chromium: token, nodes, submit and live feed, blockedBy on the task page")
@Timeout(180)
class DashboardBrowserTest {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserTest.class);
  static final String TOKEN = "dashboard-test-token-0123456789";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

  static TestNode node;
  static WebDriver browser;
  static Path profile;

  /** Why the test cannot run here, or null when the browser and its driver are installed. */
  static String missing;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      missing = "no browser: " + CHROMIUM + " and " + CHROMEDRIVER
        + " must be executables (apt-get install chromium chromium-driver, or set CHROMIUM and CHROMEDRIVER)";
      if (System.getenv("CI") != null) {
        fail(missing + "; CI is set, so a missing browser fails the build");
      }
      LOG.warn("DashboardBrowserTest skipped: {}", missing);
      return;
    }

    node = new TestNode(new JsonObject()
      .put("apiTokens", new JsonArray().add(TOKEN))
      .put("worker", new JsonObject().put("cpu", 4).put("memory", 4096).put("prefetch", 0)));

    // Selenium must use the given driver and browser, never fetch one (Selenium Manager) or report stats
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    System.setProperty("SE_AVOID_STATS", "true");
    System.setProperty("se.avoid.stats", "true");
    profile = Files.createTempDirectory("mastermind-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + profile);
    // the performance log lists every request the page makes: the test checks where the token went
    options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
      .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  @DisplayName("asks for the token, lists the node, runs a task from the form to completion, explains a blocked task")
  void dashboard() throws Exception {
    assumeThat(missing).as("DashboardBrowserTest skipped: " + missing).isNull();
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.ignoring(StaleElementReferenceException.class); // the live page re-renders what a condition just found
    browser.get(node.url + "/");

    // tokens on: the page asks for one, keeps it in sessionStorage, and never puts it in the page's URL
    WebElement tokenInput = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    tokenInput.sendKeys(TOKEN);
    browser.findElement(By.id("token-submit")).click();
    assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('mastermind.token')")).isEqualTo(TOKEN);

    // the node list, and the live feed connected over the SockJS bridge
    WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".node[data-node-id='test-node']")));
    wait.until(d -> "healthy".equals(card.getAttribute("data-state")));
    assertThat(card.getText()).contains("test-node", "compute", "io_bound");
    assertThat(browser.findElement(By.id("leader")).getText()).contains("test-node", "epoch");
    wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "on"));

    // a task from the form, seen complete in the live feed
    new Select(browser.findElement(By.id("f-type"))).selectByVisibleText("compute");
    type(By.id("f-function"), "primes");
    type(By.id("f-data"), "{\"upTo\": 1000}");
    browser.findElement(By.id("f-submit")).click();
    WebElement status = browser.findElement(By.id("submit-status"));
    wait.until(d -> status.getAttribute("data-task-id") != null);
    String submitted = status.getAttribute("data-task-id");
    wait.until(ExpectedConditions.presenceOfElementLocated(
      By.cssSelector("#feed li[data-event='task:completed'][data-task-id='" + submitted + "']")));
    wait.until(d -> status.getText().contains("succeeded"));
    assertThat(node.get("/api/v1/tasks/" + submitted).status()).isEqualTo(401); // our client has no token
    assertThat(authorized("/api/v1/tasks/" + submitted).getString("status")).isEqualTo("succeeded");

    // a few more through the API, for the charts of the screenshot
    for (int i = 0; i < 6; i++) {
      TestNode.Response done = node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/tasks?wait=20000"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(task("io_bound", "sleep", new JsonObject().put("ms", 50 * i)).encode())));
      assertThat(done.status()).as(done.body().encode()).isEqualTo(200);
    }

    // a task that cannot be placed now: three of four cores are held by a long task and it needs two
    String holder = submitAuthorized(task("io_bound", "sleep", new JsonObject().put("ms", 60_000))
      .put("requirements", new JsonObject().put("cpu", 3)));
    await().atMost(WAIT).until(() -> "running".equals(authorized("/api/v1/tasks/" + holder).getString("status")));
    String blocked = submitAuthorized(task("io_bound", "sleep", new JsonObject().put("ms", 10))
      .put("requirements", new JsonObject().put("cpu", 2)));
    browser.get(node.url + "/#/tasks/" + blocked);
    WebElement why = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("t-blocked")));
    wait.until(ExpectedConditions.attributeToBe(why, "data-dimension", "cpu"));
    assertThat(why.getText()).contains("Blocked by cpu", "position 1");
    assertThat(browser.findElement(By.id("t-status")).getText()).isEqualTo("queued");
    assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
    Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "dashboard-task.png"),
      StandardCopyOption.REPLACE_EXISTING);

    // the overview with the long task running and the blocked one queued, for the README
    browser.get(node.url + "/#/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".node[data-node-id='test-node']")));
    wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "on"));
    wait.until(d -> d.findElement(By.cssSelector(".qrow[data-priority='normal']")).getText().endsWith("1"));
    screenshot();

    tokenOnlyInTheBridgeUrl();
    darkMode();

    authorizedDelete("/api/v1/tasks/" + holder);
    await().atMost(WAIT).until(() -> "succeeded".equals(authorized("/api/v1/tasks/" + blocked).getString("status")));
  }

  /** Every request the page made: the token is in no URL but the bridge's, and there as ?access_token=. */
  private static void tokenOnlyInTheBridgeUrl() {
    List<String> urls = new ArrayList<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
      JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message");
      if ("Network.requestWillBeSent".equals(message.getString("method"))) {
        urls.add(message.getJsonObject("params").getJsonObject("request").getString("url"));
      } else if ("Network.webSocketCreated".equals(message.getString("method"))) {
        urls.add(message.getJsonObject("params").getString("url"));
      }
    }
    assertThat(urls).anyMatch(u -> u.contains("/api/v1/nodes"));
    assertThat(urls.stream().filter(u -> u.contains(TOKEN)))
      .isNotEmpty()
      .allMatch(u -> URI.create(u).getPath().startsWith("/eventbus") && u.contains("access_token=" + TOKEN), "the bridge's URL");
  }

  /** prefers-color-scheme: dark gives the dark palette (emulated through the DevTools protocol). */
  private static void darkMode() {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    String light = (String) js.executeScript("return getComputedStyle(document.body).backgroundColor");
    ((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia",
      Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    String dark = (String) js.executeScript("return getComputedStyle(document.body).backgroundColor");
    ((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    assertThat(light).isEqualTo("rgb(246, 247, 249)");
    assertThat(dark).isEqualTo("rgb(18, 21, 28)");
  }

  private static void type(By field, String text) {
    WebElement element = browser.findElement(field);
    element.clear();
    element.sendKeys(text);
  }

  private static void screenshot() throws IOException {
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "dashboard.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    if ("docs".equals(System.getProperty("dashboard.screenshot"))) {
      Path docs = Path.of("..", "docs", "dashboard.png");
      Files.copy(shot.toPath(), docs, StandardCopyOption.REPLACE_EXISTING);
      LOG.info("dashboard screenshot written to {}", docs.toAbsolutePath().normalize());
    }
  }

  private static JsonObject authorized(String path) {
    return node.send(HttpRequest.newBuilder(URI.create(node.url + path)).header("Authorization", "Bearer " + TOKEN).GET()).body();
  }

  private static void authorizedDelete(String path) {
    node.send(HttpRequest.newBuilder(URI.create(node.url + path)).header("Authorization", "Bearer " + TOKEN).DELETE());
  }

  private static String submitAuthorized(JsonObject task) {
    TestNode.Response accepted = node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/tasks"))
      .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(task.encode())));
    assertThat(accepted.status()).as(accepted.body().encode()).isEqualTo(202);
    return accepted.body().getString("id");
  }
}
