package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/plan-format.md shows plans that load: its complete plan, and each example is part of it. */
class PlanFormatDocTest {
  private static final Path DOC = Path.of("..", "docs", "plan-format.md");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<String> blocks;
  private static Plan complete;

  @BeforeAll
  static void readTheDoc() throws Exception {
    blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(Files.readString(DOC));
    while (m.find()) blocks.add(m.group(1));
    String plan = blocks.stream().filter(b -> b.startsWith("apiVersion:")).findFirst().orElseThrow();
    complete = Plans.parse(plan, DOC + " (complete plan)");
  }

  @Test
  void theCompletePlanUsesEveryStepKind() throws Exception {
    List<String> kinds = new ArrayList<>();
    for (Phase phase : complete.phases()) {
      for (Step step : phase.steps()) kinds.add(Plans.mapper().valueToTree(step).get("kind").asText());
    }
    assertThat(kinds).containsAll(Step.KINDS);
  }

  @Test
  void everyStepExampleIsAStepOfTheCompletePlan() throws Exception {
    List<Step> steps = new ArrayList<>();
    List<Step> rollbacks = new ArrayList<>(complete.rollback());
    complete.phases().forEach(p -> { steps.addAll(p.steps()); rollbacks.addAll(p.rollback()); });
    int examples = 0;
    for (String block : blocks) {
      if (block.startsWith("- kind:")) {
        assertThat(steps).containsAll(read(block, Step[].class));
        examples++;
      } else if (block.startsWith("rollback:")) {
        assertThat(rollbacks).containsAll(read(YAML.readTree(block).get("rollback"), Step[].class));
      }
    }
    assertThat(examples).isGreaterThanOrEqualTo(Step.KINDS.size());
  }

  @Test
  void everyGateExampleIsAGateOrTriggerOfTheCompletePlan() throws Exception {
    List<Gate> gates = new ArrayList<>(complete.triggers());
    complete.phases().forEach(p -> { gates.addAll(p.gates()); gates.addAll(p.triggers()); });
    int examples = 0;
    for (String block : blocks) {
      JsonNode tree = block.startsWith("gates:") || block.startsWith("triggers:") ? YAML.readTree(block) : null;
      if (tree == null) continue;
      assertThat(gates).containsAll(read(tree.elements().next(), Gate[].class));
      examples++;
    }
    assertThat(examples).isGreaterThanOrEqualTo(5);
  }

  @Test
  void theNotificationsExampleIsTheCompletePlansWithItsEscalationChain() throws Exception {
    String example = blocks.stream().filter(b -> b.startsWith("notifications:")).findFirst().orElseThrow();
    Notifications shown = Plans.mapper().treeToValue(YAML.readTree(example).get("notifications"), Notifications.class);

    assertThat(shown).isEqualTo(complete.notifications());
    assertThat(shown.escalation()).extracting(Escalation::notifier)
        .containsExactly("alerts-critical", "engineering", "management", "customer-comms");
    assertThat(shown.escalation()).extracting(Escalation::after)
        .containsExactly(java.time.Duration.ZERO, java.time.Duration.ofMinutes(2), java.time.Duration.ofMinutes(5),
            java.time.Duration.ofMinutes(10));
  }

  @Test
  void everyFieldOfTheFormatIsShownInAnExample() throws Exception {
    // the fields of docs/plan.schema.json (generated from the model), against the keys of the doc's YAML
    Set<String> fields = new TreeSet<>();
    propertiesOf(new ObjectMapper().readTree(Path.of("..", "docs", "plan.schema.json").toFile()), fields);
    Set<String> shown = new TreeSet<>();
    for (String block : blocks) keysOf(YAML.readTree(block), shown);

    assertThat(fields).hasSizeGreaterThan(100);
    assertThat(new TreeSet<>(fields)).as("fields with no example in docs/plan-format.md")
        .satisfies(f -> f.removeAll(shown)).isEmpty();
  }

  @Test
  void theResourcesExampleLoads() throws Exception {
    String example = blocks.stream().filter(b -> b.startsWith("resources:")).findFirst().orElseThrow();

    Resources shown = Plans.mapper().treeToValue(YAML.readTree(example).get("resources"), Resources.class);

    assertThat(shown.routers()).containsKeys("blue-green", "edge", "checkout-route", "checkout-pods");
    // the router types shown only there are in the complete plan too, and so validated
    assertThat(complete.resources().routers()).containsEntry("edge", shown.routers().get("edge"))
        .containsEntry("checkout-route", shown.routers().get("checkout-route"))
        .containsEntry("checkout-pods", shown.routers().get("checkout-pods"));
  }

  private static void propertiesOf(JsonNode schema, Set<String> out) {
    if (schema.isObject()) {
      JsonNode properties = schema.get("properties");
      if (properties != null && properties.isObject()) properties.fieldNames().forEachRemaining(out::add);
    }
    schema.elements().forEachRemaining(child -> propertiesOf(child, out));
  }

  private static void keysOf(JsonNode yaml, Set<String> out) {
    if (yaml == null) return;
    if (yaml.isObject()) yaml.fieldNames().forEachRemaining(out::add);
    yaml.elements().forEachRemaining(child -> keysOf(child, out));
  }

  private static <T> List<T> read(String yaml, Class<T[]> type) throws Exception {
    return read(YAML.readTree(yaml), type);
  }

  private static <T> List<T> read(JsonNode tree, Class<T[]> type) throws Exception {
    return Arrays.asList(Plans.mapper().treeToValue(tree, type));
  }
}
