package dev.rollout.activities.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rollout.activities.traffic.proxy.HttpProxyRouter;
import dev.rollout.plan.Router;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dispatch by router type, and the read-back check, with the proxy router and a real admin endpoint. */
class TrafficActivitiesImplTest {

  HttpServer admin;
  volatile String weight = "{\"canary\": 0.0}";
  volatile boolean ignoresWrites;

  @BeforeEach
  void start() throws Exception {
    admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    admin.createContext("/admin/weight", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (exchange.getRequestMethod().equals("PUT") && !ignoresWrites) weight = body;
      byte[] answer = weight.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    admin.start();
  }

  @AfterEach
  void stop() {
    admin.stop(0);
  }

  Router.HttpProxy spec() {
    return new Router.HttpProxy("http://127.0.0.1:" + admin.getAddress().getPort() + "/admin");
  }

  @Test
  void dispatchesToTheRouterServingTheSpecType() {
    var traffic = new TrafficActivitiesImpl(new TrafficRouters(List.of(new HttpProxyRouter())));

    traffic.setWeight("r1", "demo", spec(), 30);

    assertThat(traffic.currentWeight("r1", "demo", spec())).isEqualTo(30);
  }

  @Test
  void aRouterThatDoesNotReadBackWhatWasSetFailsTheStep() {
    ignoresWrites = true;
    var traffic = new TrafficActivitiesImpl(new TrafficRouters(List.of(new HttpProxyRouter())));

    assertThatThrownBy(() -> traffic.setWeight("r1", "demo", spec(), 30))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isFalse();
          assertThat(f.getType()).isEqualTo("WeightNotApplied");
        })
        .hasMessageContaining("reads back 0.0% after being set to 30.0%");
  }

  @io.temporal.activity.ActivityInterface
  public interface Shift {
    void shift(double percent);
  }

  /** Inside real activities (writes in the order asked, WriteOrder), writes asked in turn all apply. */
  @Test
  void inActivitiesWritesAskedInTurnAllApply() {
    var traffic = new TrafficActivitiesImpl(new TrafficRouters(List.of(new HttpProxyRouter())));
    var env = io.temporal.testing.TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations((Shift) percent -> traffic.setWeight("r1", "demo", spec(), percent));
    Shift shift = env.newActivityStub(Shift.class);

    shift.shift(10);
    shift.shift(25);
    shift.shift(0);

    assertThat(traffic.currentWeight("r1", "demo", spec())).isEqualTo(0);
    env.close();
  }
}
