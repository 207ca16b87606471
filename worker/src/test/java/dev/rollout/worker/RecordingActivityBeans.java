package dev.rollout.worker;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.HealthActivities;
import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.NotificationActivities;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.rehearsal.RecordingDatabase;
import dev.rollout.rehearsal.RecordingDeploy;
import dev.rollout.rehearsal.RecordingFlags;
import dev.rollout.rehearsal.RecordingHealth;
import dev.rollout.rehearsal.RecordingMetrics;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The rehearsal's recording activities under the bean names the worker registers, for tests that
 * run real rollouts without touching real systems ({@code rollout.worker.activities=recording}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class RecordingActivityBeans {

  @Bean
  RehearsalWorld rehearsalWorld() {
    return new RehearsalWorld(Scenario.HAPPY);
  }

  @Bean
  DatabaseActivities databaseActivities(RehearsalWorld world) {
    return new RecordingDatabase(world);
  }

  @Bean
  DeployActivities deployActivities(RehearsalWorld world) {
    return new RecordingDeploy(world);
  }

  @Bean
  FlagActivities flagActivities(RehearsalWorld world) {
    return new RecordingFlags(world);
  }

  @Bean
  HealthActivities healthActivities(RehearsalWorld world) {
    return new RecordingHealth(world);
  }

  @Bean
  MetricActivities metricActivities(RehearsalWorld world) {
    return new RecordingMetrics(world);
  }

  @Bean
  NotificationActivities notificationActivities(RehearsalWorld world) {
    return new RecordingNotifications(world);
  }

  @Bean
  dev.rollout.activities.RunbookActivities runbookActivities(RehearsalWorld world) {
    return new dev.rollout.rehearsal.RecordingRunbook(world);
  }

  @Bean
  TrafficActivities trafficActivities(RehearsalWorld world) {
    return new RecordingTraffic(world);
  }
}
