package dev.rollout.bench;

import dev.rollout.worker.WorkerApplication;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker as shipped (the Spring Boot worker, its embedded Temporal server reached in-process,
 * {@code rollout-worker.yaml}'s slots, pollers and workflow cache), started the same way for every
 * scale measurement, with {@link RunReturns} among its worker interceptors. {@code extra}
 * configuration classes add beans (the floor's workflow and watch); {@code extraArgs} add settings.
 */
final class BenchWorker implements AutoCloseable {
  final ConfigurableApplicationContext context;
  final RunReturns returns = new RunReturns();

  BenchWorker(List<Class<?>> extra, String... extraArgs) {
    List<Class<?>> sources = new ArrayList<>(List.of(WorkerApplication.class));
    sources.addAll(extra);
    List<String> args = new ArrayList<>(List.of("--rollout.temporal.embedded.port=0", "--logging.level.root=WARN"));
    args.addAll(List.of(extraArgs));
    context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
        .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
        .initializers(c -> c.getBeanFactory().registerSingleton("benchRunReturns", returns))
        .run(args.toArray(String[]::new));
  }

  WorkflowClient client() {
    return context.getBean(WorkflowClient.class);
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
