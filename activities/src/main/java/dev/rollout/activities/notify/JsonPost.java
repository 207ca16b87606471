package dev.rollout.activities.notify;

import dev.rollout.activities.support.HttpClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs a JSON body and insists on a 2xx answer. The URL (a secret) is never put in a message. */
public final class JsonPost {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;

  public JsonPost(HttpClient http) {
    this.http = http;
  }

  public JsonPost() {
    this(HttpClients.newClient(TIMEOUT));
  }

  public void post(String url, Object body, String idempotencyKey) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      // The status only: a receiver's body (or an internal service's, were the URL pointed there)
      // never goes into history or logs.
      throw new IOException("the receiver answered HTTP " + response.statusCode());
    }
  }
}
