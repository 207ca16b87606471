package dev.rollout.activities.traffic.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollout.plan.Router;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP admin endpoint that speaks the documented protocol. */
class HttpProxyRouterTest {

  private final HttpProxyRouter router = new HttpProxyRouter();
  private final List<String> requests = new ArrayList<>();
  private HttpServer admin;
  private volatile String weightJson = "{\"canary\": 0.0}";
  private volatile int status = 200;

  @BeforeEach
  void startAdmin() throws IOException {
    admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    admin.createContext("/admin/weight", this::handle);
    admin.start();
  }

  @AfterEach
  void stopAdmin() {
    admin.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(exchange.getRequestMethod() + " " + body);
    if (exchange.getRequestMethod().equals("PUT") && status == 200) weightJson = body;
    byte[] answer = (status == 200 ? weightJson : "broken").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private Router.HttpProxy spec(String suffix) {
    return new Router.HttpProxy("http://127.0.0.1:" + admin.getAddress().getPort() + "/admin" + suffix);
  }

  @Test
  void setsTheWeightAndReadsItBack() throws Exception {
    router.setWeight(spec(""), 25);

    assertThat(requests).containsExactly("PUT {\"canary\": 25.0}");
    assertThat(router.readWeight(spec("/"))).isEqualTo(25.0);
  }

  @Test
  void resetSendsEverythingBackToStable() throws Exception {
    router.setWeight(spec(""), 50);
    router.reset(spec(""));

    assertThat(router.readWeight(spec(""))).isZero();
  }

  @Test
  void servesTheProxyRouterType() {
    assertThat(router.type()).isEqualTo(Router.HttpProxy.class);
  }

  @Test
  void refusesAPercentageOutsideZeroToHundredWithoutCallingTheProxy() {
    assertThatThrownBy(() -> router.setWeight(spec(""), 120))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0-100");
    assertThat(requests).isEmpty();
  }

  @Test
  void anErrorAnswerFailsWithTheStatusButNeverTheBody() {
    // The body of a remote service never goes into history: the admin URL could point anywhere.
    status = 503;
    assertThatThrownBy(() -> router.setWeight(spec(""), 10))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("503")
        .hasMessageNotContaining("broken");
  }

  @Test
  void anAnswerWithoutAWeightIsAnError() {
    weightJson = "{\"stable\": 100}";
    assertThatThrownBy(() -> router.readWeight(spec("")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("canary");
  }

  @Test
  void aMissingAdminUrlNamesTheField() {
    assertThatThrownBy(() -> router.readWeight(new Router.HttpProxy(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("adminUrl");
  }
}
