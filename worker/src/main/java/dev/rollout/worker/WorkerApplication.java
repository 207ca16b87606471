package dev.rollout.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The rollout worker: hosts the rollout workflow and every activity on the rollout task queue.
 * With no {@code TEMPORAL_ADDRESS} it brings its own in-memory Temporal server ({@link
 * EmbeddedTemporalServer}).
 */
@SpringBootApplication
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
