package dev.rollout.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so check what can be checked: it
 * parses, it has every service the README names, the worker and the API point at the compose
 * Temporal server, and every file it mounts or builds from exists.
 */
class DockerComposeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode services = read("docker-compose.yml").path("services");

  @Test
  void namesEveryServiceTheReadmeMentions() throws IOException {
    // The README's sentence "`docker-compose.yml` runs `a`, `b` (…) and `c`." is the list users read.
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher sentence = Pattern.compile("`docker-compose\\.yml` runs ([^.]+)\\.").matcher(readme);
    assertThat(sentence.find()).as("README names the compose services").isTrue();
    List<String> mentioned = new ArrayList<>();
    Matcher name = Pattern.compile("`([a-z-]+)`").matcher(sentence.group(1));
    while (name.find()) mentioned.add(name.group(1));

    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(mentioned)
        .contains("temporal", "temporal-ui", "postgresql", "worker", "api", "prometheus", "grafana");
    assertThat(names).containsAll(mentioned);
  }

  @Test
  void workerApiAndUiTalkToTheComposeTemporalServer() {
    for (String service : List.of("worker", "api", "temporal-ui")) {
      assertThat(services.path(service).path("environment").path("TEMPORAL_ADDRESS").asText())
          .as(service + " TEMPORAL_ADDRESS")
          .isEqualTo("temporal:7233");
    }
    assertThat(services.path("api").path("command").toString()).contains("api-only");
  }

  @Test
  void temporalUsesPostgresqlAsTheOfficialImageDocuments() {
    JsonNode env = services.path("temporal").path("environment");
    assertThat(services.path("temporal").path("image").asText()).startsWith("temporalio/auto-setup:");
    assertThat(env.path("DB").asText()).isEqualTo("postgres12");
    assertThat(env.path("POSTGRES_SEEDS").asText()).isEqualTo("postgresql");
    assertThat(env.path("POSTGRES_PWD").asText())
        .isEqualTo(services.path("postgresql").path("environment").path("POSTGRES_PASSWORD").asText());
    String dynamicConfig = env.path("DYNAMIC_CONFIG_FILE_PATH").asText();
    assertThat(ROOT.resolve("deploy/temporal/dynamicconfig").resolve(Path.of(dynamicConfig).getFileName()))
        .exists();
  }

  @Test
  void everyMountedFileAndDockerfileExists() {
    services.forEach(
        service -> {
          service.path("volumes").forEach(v -> {
            String host = v.asText().split(":")[0];
            if (host.startsWith("./")) {
              assertThat(ROOT.resolve(host)).as(v.asText()).exists();
            }
          });
          if (service.has("build")) {
            assertThat(ROOT.resolve(service.path("build").path("dockerfile").asText())).exists();
          }
        });
  }

  @Test
  void theWorkerKeepsDatabaseBackupsOnAVolume() {
    JsonNode worker = services.path("worker");
    String backups = worker.path("environment").path("ROLLOUT_BACKUP_DIR").asText();
    assertThat(backups).isNotBlank();
    assertThat(worker.path("volumes").toString()).contains(":" + backups);
  }

  @Test
  void prometheusScrapesTheWorkerAndTheApi() {
    String scrapes = read("deploy/prometheus/prometheus.yml").path("scrape_configs").toString();
    assertThat(scrapes).contains("worker:8081", "api:8088", "/actuator/prometheus");
  }

  private static JsonNode read(String file) {
    try {
      return YAML.readTree(Files.readString(ROOT.resolve(file)));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + ROOT.resolve(file), e);
    }
  }
}
