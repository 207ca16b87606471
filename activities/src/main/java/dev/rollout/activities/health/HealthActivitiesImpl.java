package dev.rollout.activities.health;

import dev.rollout.activities.support.HttpClients;
import dev.rollout.activities.support.Urls;

import dev.rollout.activities.HealthActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Heartbeat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Probes a URL until it answers the expected status. Fails after {@code failureThreshold}
 * consecutive bad answers (or errors) or when the timeout passes; one good answer is healthy.
 */
public class HealthActivitiesImpl implements HealthActivities {

  private final HttpClient http;

  public HealthActivitiesImpl(HttpClient http) {
    this.http = http;
  }

  public HealthActivitiesImpl() {
    this(HttpClients.newClient(Duration.ofSeconds(5)));
  }

  @Override
  public HealthResult probe(String url, int expectStatus, int failureThreshold, Duration interval, Duration timeout) {
    URI uri = uri(url);
    if (failureThreshold < 1) throw Failures.badInput("health check failureThreshold must be at least 1");
    Heartbeat heartbeat = Heartbeat.current();
    long deadline = System.nanoTime() + timeout.toNanos();
    int probes = 0;
    int failures = 0;
    int last = 0;
    String detail = "";
    while (true) {
      probes++;
      try {
        HttpResponse<Void> response =
            http.send(HttpRequest.newBuilder(uri).timeout(interval.plusSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
        last = response.statusCode();
        detail = Urls.shown(url) + " answered " + last;
      } catch (java.io.IOException e) {
        last = 0;
        detail = Urls.shown(url) + " did not answer: " + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failures.retryable("probing " + Urls.shown(url), e);
      }
      if (last == expectStatus) return new HealthResult(true, probes, last, detail);
      failures++;
      if (failures >= failureThreshold) {
        return new HealthResult(false, probes, last, failures + " consecutive failures; last: " + detail);
      }
      if (System.nanoTime() + interval.toNanos() > deadline) {
        return new HealthResult(false, probes, last, "timed out after " + timeout + "; last: " + detail);
      }
      heartbeat.beat(detail);
      sleep(interval);
    }
  }

  private static URI uri(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) throw new IllegalArgumentException("not http(s)");
      return uri;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw Failures.badInput("health check url '" + Urls.shown(url) + "' is not an http(s) URL");
    }
  }

  /** The wait between probes is the activity's job (not test synchronisation). */
  private static void sleep(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.retryable("waiting between probes", e);
    }
  }
}
