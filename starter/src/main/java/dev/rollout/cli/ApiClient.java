package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The REST API as the CLI sees it: JSON in, JSON out, the caller's bearer token on every request, and
 * the API's Problem Details turned into a message and an exit code.
 */
public final class ApiClient {

  private final URI base;
  private final String token;
  private final HttpClient http;

  /** @param token the bearer token; null sends none (the server answers 401 saying where to put one) */
  public ApiClient(String baseUrl, String token) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public JsonNode get(String path) {
    return send(request(path).header("Accept", "application/json, application/problem+json").GET());
  }

  public JsonNode post(String path, Object body) {
    return send(request(path).header("Accept", "application/json, application/problem+json")
        .header("Content-Type", "application/json").POST(Json.body(body)));
  }

  /** Sends a plan file as it was written, so the server's problems point at its lines. */
  public JsonNode postText(String path, String text, String contentType) {
    return send(request(path).header("Accept", "application/json, application/problem+json")
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  /** A GET whose answer is text (JSON lines), returned as it came. */
  public String getText(String path) {
    HttpResponse<String> response = exchange(request(path).header("Accept", "application/x-ndjson, application/problem+json").GET());
    if (response.statusCode() >= 400) throw ProblemDetails.refusal(response.statusCode(), Json.readOrText(response.body()));
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
        .timeout(Duration.ofSeconds(60));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpResponse<String> response = exchange(builder);
    JsonNode body = Json.readOrText(response.body());
    if (response.statusCode() >= 400) throw ProblemDetails.refusal(response.statusCode(), body);
    return body;
  }

  private HttpResponse<String> exchange(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable();
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException) throw unreachable();
      throw new CliException(ExitCodes.UNREACHABLE, "lost the connection to " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNREACHABLE, "interrupted while calling " + base);
    }
    return response;
  }

  private CliException unreachable() {
    return new CliException(
        ExitCodes.UNREACHABLE,
        "cannot reach the rollout server at " + base
            + " (start one with `./rollout server`, or point --api / ROLLOUT_API at it)");
  }
}
