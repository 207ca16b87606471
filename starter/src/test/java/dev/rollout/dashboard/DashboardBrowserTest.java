package dev.rollout.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.server.ListingRollouts;
import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.StatusReadFaults;
import dev.rollout.server.TestPlans;
import dev.rollout.server.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromedriver, which
 * scripts/services.sh installs): an approver signs in with their API token, finds the rollout waiting for them, opens
 * it, approves, and sees it advance to its bake with the time left counting down. Screenshots go
 * to target/screenshots/.
 */
@Tag("integration")
@RolloutServerTest
class DashboardBrowserTest {
  static final Path SCREENSHOTS = Path.of("target/screenshots");

  @LocalServerPort int port;
  @Autowired TestRestTemplate http;
  @Autowired StatusReadFaults faults;
  @TempDir Path profile;
  ChromeDriver browser;

  @BeforeEach
  void openBrowser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--no-first-run", "--window-size=1300,1100", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) browser.quit();
  }

  @Test
  void anApproverFindsTheWaitingRolloutApprovesItAndSeesItAdvance() throws Exception {
    String id = start("dashboard");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

    browser.get("http://127.0.0.1:" + port + "/");
    // the page claims nothing: bob pastes his token, and the server says who that is
    assertThat(browser.findElements(By.id("user"))).as("no name field").isEmpty();
    browser.findElement(By.id("token")).sendKeys(TestTokens.of("bob"));
    browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
    wait.until(d -> d.findElement(By.id("who")).getText().contains("signed in as bob"));

    // "waiting for me" lists it; a filter on another state does not
    browser.findElement(By.id("f-mine")).click();
    wait.until(d -> d.getCurrentUrl().contains("mine=1"));
    String rowText = wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector("tr.row[data-id='" + id + "']")).getText());
    assertThat(rowText).contains("WAITING_FOR_APPROVAL", "dashboard/test");
    shot("list");

    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(By.cssSelector("tr.row[data-id='" + id + "'] a")).click();
      return true;
    });
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("waiting")).getText().contains("that is you"));
    wait.until(d -> !d.findElements(By.cssSelector("#picture svg")).isEmpty());
    assertThat(browser.findElement(By.id("picture")).getText()).contains("canary", "full");
    shot("waiting");

    new Select(browser.findElement(By.id("role"))).selectByVisibleText("sre");
    browser.findElement(By.id("comment")).sendKeys("looks good");
    browser.findElement(By.cssSelector("button[data-act='approve']")).click();

    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector("#now .state")).getText().equals("BAKING"));
    String left = wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("countdown")).getText());
    assertThat(left).matches("59m \\d+s|1h 0m 0s");
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElement(By.id("countdown")).getText().equals(left)); // it counts down
    assertThat(browser.findElement(By.id("decisions")).getText()).contains("bob (sre)", "approved", "looks good");
    shot("baking");
    assertThat(browser.findElement(By.id("error")).isDisplayed()).as("no error shown").isFalse();

    assertThat(post(id, "abort", Map.of("reason", "test over", "role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  /**
   * A pause the rollout recorded, when only the status read after it failed: the page says it was
   * recorded (and need not be repeated), not that it failed.
   */
  @Test
  void aPauseRecordedWhoseStatusCouldNotBeReadIsShownAsRecordedNotAsAnError() throws Exception {
    String id = start("dashrecorded");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get("http://127.0.0.1:" + port + "/#/rollout/" + id);
    browser.findElement(By.id("token")).sendKeys(TestTokens.of("bob"));
    browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(By.cssSelector("button[data-act='pause']")).isEmpty());
    faults.afterNextUpdate(id, new StatusReadFaults.TimesOut());

    browser.findElement(By.cssSelector("button[data-act='pause']")).click();

    String notice = wait.until(d -> d.findElement(By.id("notice")).isDisplayed() ? d.findElement(By.id("notice")).getText() : null);
    assertThat(notice).contains("pause recorded", "full status could not be read", "DEADLINE_EXCEEDED",
        "need not be repeated");
    shot("recorded");
    assertThat(browser.findElement(By.id("error")).isDisplayed()).as("no error shown").isFalse();
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("decisions")).getText().contains("paused"));
    // Still waiting for its approval, the rollout shows the pause beside it, and offers Resume, not
    // a second Pause the rollout would refuse.
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(By.cssSelector("button[data-act='resume']")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("button[data-act='pause']"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("#now .state")).getText()).isEqualTo("WAITING_FOR_APPROVAL");
    assertThat(browser.findElement(By.id("paused-note")).getText()).contains("paused by an operator");

    assertThat(post(id, "abort", Map.of("reason", "test over", "role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  /**
   * What other people typed (a comment, an abort reason) is shown as text: markup in it runs
   * nothing in an approver's tab, where their token is.
   */
  @Test
  void markupInAnotherPersonsCommentIsShownAsTextAndRunsNothing() throws Exception {
    String id = start("dashxss");
    String payload = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
    assertThat(post(id, "pause", Map.of("comment", payload)).getStatusCode()).isEqualTo(HttpStatus.OK);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get("http://127.0.0.1:" + port + "/#/rollout/" + id);
    browser.findElement(By.id("token")).sendKeys(TestTokens.of("bob"));
    browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("decisions")).getText().contains("paused"));
    assertThat(browser.findElement(By.id("decisions")).getText()).contains("<img src=x onerror=");
    assertThat(browser.findElements(By.cssSelector("#decisions img, #decisions script"))).isEmpty();
    assertThat(browser.getTitle()).isEqualTo("Rollouts");
    var page = http.exchange("/", HttpMethod.GET, HttpEntity.EMPTY, String.class);
    assertThat(page.getHeaders().getFirst("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(post(id, "abort", Map.of("reason", "test over", "role", "sre")).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  /** The list's filters go to the API's search-attribute listing: exact rows for role, target and state. */
  @Test
  void theListFiltersByWaitingForRoleTargetAndState() throws Exception {
    ListingRollouts r = ListingRollouts.start(http, "lstd");
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get("http://127.0.0.1:" + port + "/");
      browser.findElement(By.id("token")).sendKeys(TestTokens.of("bob"));
      browser.findElement(By.cssSelector("#signin button[type=submit]")).click();
      wait.until(d -> d.findElement(By.id("who")).getText().contains("signed in as bob"));

      browser.findElement(By.id("f-role")).sendKeys(r.qaRole(), Keys.TAB);
      wait.until(d -> d.getCurrentUrl().contains("waitingFor=" + r.qaRole()));
      assertThat(rows(wait, List.of(r.qa()))).containsExactly(r.qa());
      shot("filtered");

      browser.get("http://127.0.0.1:" + port + "/#/?target=" + r.target(r.end()));
      assertThat(rows(wait, List.of(r.end()))).containsExactly(r.end());
      assertThat(browser.findElement(By.cssSelector("tr.row")).getText()).contains("ROLLED_BACK");

      browser.get("http://127.0.0.1:" + port + "/#/?target=lstdbake");
      new Select(browser.findElement(By.id("f-state"))).selectByVisibleText("BAKING");
      wait.until(d -> d.getCurrentUrl().contains("state=BAKING"));
      assertThat(rows(wait, List.of(r.bake()))).containsExactly(r.bake());
      new Select(browser.findElement(By.id("f-state"))).selectByVisibleText("WAITING_FOR_APPROVAL");
      wait.until(d -> d.getCurrentUrl().contains("state=WAITING_FOR_APPROVAL"));
      wait.until(d -> !d.findElements(By.cssSelector("#rollouts td.muted")).isEmpty()
          && d.findElement(By.cssSelector("#rollouts td.muted")).getText().contains("no rollouts match"));

      // An earlier filter's slow answer never overwrites the list of the filter chosen after it
      // (it once did: "waiting for me" showed every rollout). The earlier answer is held back until
      // the later one is drawn, then let through; the list must stay the later filter's.
      browser.get("http://127.0.0.1:" + port + "/#/?target=" + r.target(r.qa()));
      assertThat(rows(wait, List.of(r.qa()))).containsExactly(r.qa());
      browser.executeScript("""
          const real = window.fetch;
          window.slowDone = false;
          window.fetch = (url, options) => {
            if (!String(url).includes("lstdend")) return real(url, options);
            // read in advance, answered when let go: the page's code then finishes within one
            // turn, before the timer below marks the slow answer as handled
            const answer = real(url, options).then(r => r.text().then(t => ({ok: r.ok, status: r.status, text: async () => t})));
            const held = new Promise(go => { window.letSlowGo = go; }).then(() => answer);
            held.then(() => setTimeout(() => { window.slowDone = true; }, 0));
            return held;
          };""");
      browser.executeScript("location.hash = arguments[0]", "#/?target=" + r.target(r.end()));
      wait.until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript("return typeof window.letSlowGo === 'function'")));
      browser.executeScript("location.hash = arguments[0]", "#/?target=" + r.target(r.qa()));
      wait.ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElements(By.cssSelector("tr.row")).size() == 1);
      browser.executeScript("window.letSlowGo()");
      wait.until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript("return window.slowDone")));
      List<String> shown = browser.findElements(By.cssSelector("tr.row")).stream().map(tr -> tr.getAttribute("data-id")).toList();
      assertThat(shown).containsExactly(r.qa());
    } finally {
      r.abortRunning(http);
    }
  }

  /** The ids the list shows once it shows {@code expected} (search attributes follow a state a moment later). */
  private List<String> rows(WebDriverWait wait, List<String> expected) {
    List<String> shown = new java.util.ArrayList<>();
    try {
      wait.ignoring(StaleElementReferenceException.class).until(d -> {
        if (d.findElement(By.id("rollouts")).getText().contains("loading")) return false;
        shown.clear();
        d.findElements(By.cssSelector("tr.row")).forEach(tr -> shown.add(tr.getAttribute("data-id")));
        if (shown.equals(expected)) return true;
        browser.navigate().refresh();
        return false;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      // fall through: the assertion shows what was listed
    }
    return shown;
  }

  private void shot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("dashboard-" + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  private String start(String service) {
    HttpHeaders headers = TestTokens.as("alice");
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    var r = http.exchange("/rollouts", HttpMethod.POST,
        new HttpEntity<>(TestPlans.approvalPlan(service, "1h"), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    return TestPlans.rolloutId(service);
  }

  private org.springframework.http.ResponseEntity<Map> post(String id, String action, Object body) {
    HttpHeaders headers = TestTokens.as("alice");
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.exchange("/rollouts/" + id + "/" + action, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }
}
