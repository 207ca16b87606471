package dev.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** The embedded server starts only when no address is configured, answers, and stops with the app. */
class EmbeddedTemporalServerTest {

  @Configuration
  static class Nothing {}

  @Test
  void startsOnALocalPortWhenNoAddressIsGivenAndStopsWithTheApplication() {
    String target;
    try (ConfigurableApplicationContext context = boot("--rollout.temporal.embedded.port=0")) {
      target = context.getBean(EmbeddedTemporalServer.Target.class).address();
      assertThat(target).startsWith("127.0.0.1:");
      assertThat(context.getEnvironment().getProperty("spring.temporal.connection.target"))
          .isEqualTo(target);
      assertThat(systemInfo(target)).isTrue();
    }
    assertThatThrownBy(() -> systemInfo(target)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void listensOnLoopbackOnlyUnlessConfigured() throws Exception {
    java.net.InetAddress external = nonLoopbackAddress();
    org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "this machine has no non-loopback address");
    try (ConfigurableApplicationContext context = boot("--rollout.temporal.embedded.port=0")) {
      int port = Integer.parseInt(context.getBean(EmbeddedTemporalServer.Target.class).address().split(":")[1]);
      try (java.net.Socket s = new java.net.Socket()) {
        assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress(external, port), 2000))
            .isInstanceOf(java.io.IOException.class);
      }
    }
  }

  private static java.net.InetAddress nonLoopbackAddress() throws Exception {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var a : java.util.Collections.list(nic.getInetAddresses())) {
        if (!a.isLoopbackAddress() && a instanceof java.net.Inet4Address) return a;
      }
    }
    return null;
  }

  @Test
  void startsNothingWhenAnAddressIsGiven() {
    try (ConfigurableApplicationContext context =
        boot("--spring.temporal.connection.target=temporal.example:7233")) {
      assertThat(context.getBeansOfType(EmbeddedTemporalServer.Target.class)).isEmpty();
      assertThat(context.getEnvironment().getProperty("spring.temporal.connection.target"))
          .isEqualTo("temporal.example:7233");
    }
  }

  @Test
  void startsNothingWhenDisabled() {
    try (ConfigurableApplicationContext context =
        boot("--rollout.temporal.embedded.enabled=false")) {
      assertThat(context.getBeansOfType(EmbeddedTemporalServer.Target.class)).isEmpty();
    }
  }

  @Test
  void aTakenPortFailsStartUpSayingWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(() -> boot("--rollout.temporal.embedded.port=" + taken.getLocalPort()))
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("ROLLOUT_EMBEDDED_TEMPORAL_PORT")
          .hasMessageContaining("TEMPORAL_ADDRESS");
    }
  }

  private static ConfigurableApplicationContext boot(String... args) {
    return new SpringApplicationBuilder(Nothing.class).web(WebApplicationType.NONE).run(args);
  }

  /** Asks the server at {@code target} for its system info; true when it answers. */
  private static boolean systemInfo(String target) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target)
                .setRpcTimeout(Duration.ofSeconds(20))
                .build());
    try {
      return stubs.blockingStub()
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
          .hasCapabilities();
    } finally {
      stubs.shutdownNow();
    }
  }
}
