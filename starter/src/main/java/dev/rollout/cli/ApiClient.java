package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The REST API as the CLI sees it: JSON in, JSON out, the caller's bearer token on every request, and
 * the API's Problem Details turned into a message and an exit code. Every call has a deadline; one
 * that passes it (or cannot connect) says what it waited for.
 */
public final class ApiClient {
  /**
   * How long a call waits for an answer by default: a little longer than the server's own
   * deadline for a rollout to accept an action, so the server's clearer answer arrives first.
   */
  public static final Duration DEADLINE = Duration.ofSeconds(75);
  private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(5);

  private final URI base;
  /** {@link #base} as errors show it: without user info (a password in --api stays unprinted). */
  private final String shown;
  private final String token;
  private final Duration deadline;
  private final HttpClient http;

  /** @param token the bearer token; null sends none (the server answers 401 saying where to put one) */
  public ApiClient(String baseUrl, String token) {
    this(baseUrl, token, DEADLINE);
  }

  /** @param deadline how long each call waits for the server's answer */
  public ApiClient(String baseUrl, String token, Duration deadline) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.shown = base.getRawUserInfo() == null ? base.toString() : base.toString().replace(base.getRawUserInfo() + "@", "");
    this.token = token;
    this.deadline = deadline;
    this.http = HttpClient.newBuilder()
        .connectTimeout(deadline.compareTo(CONNECT_DEADLINE) < 0 ? deadline : CONNECT_DEADLINE).build();
  }

  public JsonNode get(String path) {
    return send(request(path).header("Accept", "application/json, application/problem+json").GET(), "GET /" + trim(path));
  }

  public JsonNode post(String path, Object body) {
    return post(path, body, "POST /" + trim(path));
  }

  /** A POST; {@code what} names it for a person when it fails ("the pause of rollout r-1"). */
  public JsonNode post(String path, Object body, String what) {
    return send(request(path).header("Accept", "application/json, application/problem+json")
        .header("Content-Type", "application/json").POST(Json.body(body)), what);
  }

  private static String trim(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** Sends a plan file as it was written, so the server's problems point at its lines. */
  public JsonNode postText(String path, String text, String contentType) {
    return send(request(path).header("Accept", "application/json, application/problem+json")
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(text)), "POST /" + trim(path));
  }

  /** A GET whose answer is text (JSON lines), returned as it came. */
  public String getText(String path) {
    HttpResponse<String> response =
        exchange(request(path).header("Accept", "application/x-ndjson, application/problem+json").GET(), "GET /" + trim(path));
    if (response.statusCode() >= 400) throw ProblemDetails.refusal(response.statusCode(), Json.readOrText(response.body()));
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
        .timeout(deadline);
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  private JsonNode send(HttpRequest.Builder builder, String what) {
    HttpResponse<String> response = exchange(builder, what);
    JsonNode body = Json.readOrText(response.body());
    if (response.statusCode() >= 400) throw ProblemDetails.refusal(response.statusCode(), body);
    return body;
  }

  private HttpResponse<String> exchange(HttpRequest.Builder builder, String what) {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable(what);
    } catch (HttpTimeoutException e) {
      throw new CliException(ExitCodes.UNREACHABLE, "gave up after " + dev.rollout.plan.Durations.format(deadline)
          + " waiting for the rollout server at " + shown + " to answer " + what
          + " (it may still act on it: look before you repeat it; a longer wait: --timeout)");
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException) throw unreachable(what);
      throw new CliException(ExitCodes.UNREACHABLE, "lost the connection to " + shown + " during " + what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNREACHABLE, "interrupted while waiting for " + shown + " to answer " + what);
    }
    return response;
  }

  private CliException unreachable(String what) {
    return new CliException(
        ExitCodes.UNREACHABLE,
        "cannot reach the rollout server at " + shown + " for " + what
            + " (start one with `./rollout server`, or point --api / ROLLOUT_API at it)");
  }
}
