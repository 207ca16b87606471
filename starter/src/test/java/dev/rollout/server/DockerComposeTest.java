package dev.rollout.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.rollout.workflow.RolloutSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so check what can be checked: it
 * parses, it has every service the README names, the worker and the API point at the compose
 * Temporal server, every file it mounts or builds from exists, images are current and pinned, it is
 * closed (loopback ports, no Prometheus lifecycle API, no default Grafana password) and it registers
 * the search attributes the workflow upserts.
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
  void temporalRunsAsTemporalsOwnComposeDoesItOnPostgresql() {
    // auto-setup is deprecated: the server image runs, admin-tools sets up schemas and namespace.
    JsonNode temporal = services.path("temporal");
    JsonNode env = temporal.path("environment");
    assertThat(temporal.path("image").asText()).startsWith("temporalio/server:");
    assertThat(env.path("DB").asText()).isEqualTo("postgres12");
    assertThat(env.path("POSTGRES_SEEDS").asText()).isEqualTo("postgresql");
    assertThat(env.path("POSTGRES_PWD").asText())
        .isEqualTo(services.path("postgresql").path("environment").path("POSTGRES_PASSWORD").asText());
    String dynamicConfig = env.path("DYNAMIC_CONFIG_FILE_PATH").asText();
    assertThat(ROOT.resolve("deploy/temporal/dynamicconfig").resolve(Path.of(dynamicConfig).getFileName()))
        .exists();

    JsonNode schema = services.path("temporal-schema");
    assertThat(schema.path("image").asText()).startsWith("temporalio/admin-tools:");
    assertThat(temporal.path("depends_on").path("temporal-schema").path("condition").asText())
        .isEqualTo("service_completed_successfully");
    assertThat(script(schema)).contains("temporal-sql-tool", "update-schema", "temporal_visibility");
    for (String runsRollouts : List.of("worker", "api")) {
      assertThat(services.path(runsRollouts).path("depends_on").path("temporal-namespace").path("condition").asText())
          .as(runsRollouts + " starts after the namespace and search attributes exist")
          .isEqualTo("service_completed_successfully");
    }
  }

  @Test
  void imagesArePinnedToCurrentVersions() {
    assertThat(version("temporal")).isEqualTo("1.31.0");
    assertThat(version("temporal-schema")).isEqualTo(version("temporal"));
    assertThat(version("temporal-namespace")).isEqualTo(version("temporal"));
    assertThat(atLeast(version("temporal-ui"), 2, 49)).as("temporal-ui " + version("temporal-ui")).isTrue();
    assertThat(atLeast(version("prometheus").substring(1), 3, 5)).as("prometheus").isTrue();
    assertThat(atLeast(version("grafana"), 12, 0)).as("grafana").isTrue();
    services.forEach(service -> {
      String image = service.path("image").asText();
      if (!image.isEmpty()) assertThat(image).doesNotContain("auto-setup").doesNotEndWith(":latest}");
    });
  }

  @Test
  void everyPortIsPublishedOnLoopbackOnly() {
    List<String> ports = new ArrayList<>();
    services.forEach(service -> service.path("ports").forEach(p -> ports.add(p.asText())));
    assertThat(ports).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
    assertThat(services.path("postgresql").has("ports")).as("PostgreSQL is not published").isFalse();
  }

  @Test
  void nobodyCanStopPrometheusOverHttp() {
    assertThat(services.path("prometheus").path("command").toString()).doesNotContain("web.enable-lifecycle");
  }

  @Test
  void grafanaAdminPasswordComesFromTheEnvironmentWithoutADefault() {
    String password = services.path("grafana").path("environment").path("GF_SECURITY_ADMIN_PASSWORD").asText();
    assertThat(password).startsWith("${GRAFANA_ADMIN_PASSWORD:?").doesNotContain(":-");
  }

  @Test
  void longRunningServicesHaveHealthChecksAndRestartPolicies() {
    for (String name : List.of("postgresql", "temporal", "worker", "api", "prometheus", "grafana")) {
      JsonNode service = services.path(name);
      assertThat(service.path("healthcheck").path("test").isArray()).as(name + " healthcheck").isTrue();
      assertThat(service.path("restart").asText()).as(name + " restart").isEqualTo("unless-stopped");
    }
    for (String oneShot : List.of("temporal-schema", "temporal-namespace")) {
      assertThat(services.path(oneShot).path("restart").asText()).as(oneShot).startsWith("on-failure");
    }
  }

  @Test
  void composeRegistersEverySearchAttributeTheWorkflowUpserts() {
    String script = script(services.path("temporal-namespace"));
    Matcher register = Pattern.compile("(?m)^register (\\w+) (\\w+)$").matcher(script);
    Map<String, String> registered = new LinkedHashMap<>();
    while (register.find()) registered.put(register.group(1), register.group(2));
    Map<String, String> upserted = new LinkedHashMap<>();
    RolloutSearchAttributes.ALL.forEach(key -> upserted.put(key.getName(), typeName(key.getValueType())));
    assertThat(registered).isEqualTo(upserted);
  }

  @Test
  void theProvisionedGrafanaDashboardChartsEveryRolloutMetric() throws IOException {
    String dashboard = Files.readString(ROOT.resolve("deploy/grafana/dashboards/rollouts.json"));
    // Emitted by the workflow (RolloutMetrics) and by the API's gauges (RolloutGauges).
    for (String metric : List.of("rollout_started_total", "rollout_finished_total", "rollout_approval_wait_seconds",
        "rollout_verdicts_total", "rollout_detection_latency_seconds", "rollout_rollback_duration_seconds",
        "rollout_phase", "rollout_canary_weight_percent", "rollout_running")) {
      assertThat(dashboard).as(metric).contains(metric);
    }
  }

  private static String typeName(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      case INDEXED_VALUE_TYPE_TEXT -> "Text";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
      case INDEXED_VALUE_TYPE_BOOL -> "Bool";
      case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
      default -> type.name();
    };
  }

  /** The script a one-shot admin-tools service runs, read from its mounted scripts folder. */
  private static String script(JsonNode service) {
    String command = service.path("command").asText();
    assertThat(command).startsWith("/scripts/");
    try {
      return Files.readString(ROOT.resolve("deploy/temporal/scripts").resolve(command.substring("/scripts/".length())));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The default tag of a service's image: {@code image: x/y:${VAR:-1.2.3}} gives 1.2.3. */
  private String version(String service) {
    String image = services.path(service).path("image").asText();
    Matcher m = Pattern.compile(":\\$\\{[A-Z_]+:-([^}]+)}$").matcher(image);
    assertThat(m.find()).as(service + " image " + image + " has an overridable pinned default").isTrue();
    return m.group(1);
  }

  private static boolean atLeast(String version, int major, int minor) {
    String[] parts = version.split("\\.");
    int ma = Integer.parseInt(parts[0]);
    int mi = Integer.parseInt(parts[1]);
    return ma > major || (ma == major && mi >= minor);
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

  @Test
  void prometheusScrapesTheApiWithAMetricsOnlyTokenFromAComposeSecret() {
    JsonNode apiJob = null;
    for (JsonNode job : read("deploy/prometheus/prometheus.yml").path("scrape_configs")) {
      if (job.path("static_configs").toString().contains("api:8088")) apiJob = job;
    }
    assertThat(apiJob).as("a scrape job for the API").isNotNull();
    JsonNode auth = apiJob.path("authorization");
    assertThat(auth.path("type").asText()).isEqualTo("Bearer");
    String file = auth.path("credentials_file").asText();
    assertThat(file).as("the token is read from a file, never written in the config").startsWith("/run/secrets/");
    assertThat(auth.has("credentials")).isFalse();
    String secret = file.substring("/run/secrets/".length());
    assertThat(services.path("prometheus").path("secrets").toString()).contains(secret);
    JsonNode api = services.path("api");
    assertThat(api.path("secrets").toString()).contains(secret);
    assertThat(api.path("environment").path("ROLLOUT_METRICS_TOKEN_FILE").asText()).isEqualTo(file);
    JsonNode defined = read("docker-compose.yml").path("secrets").path(secret);
    assertThat(defined.path("environment").asText()).as("the secret comes from the operator's environment")
        .isEqualTo("ROLLOUT_METRICS_TOKEN");
    assertThat(services.path("worker").path("secrets").toString()).doesNotContain(secret);
  }

  private static JsonNode read(String file) {
    try {
      return YAML.readTree(Files.readString(ROOT.resolve(file)));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + ROOT.resolve(file), e);
    }
  }
}
