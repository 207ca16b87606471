package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/plan.schema.json is generated from the plan records ({@link PlanSchema}) by this test: it
 * fails when the published file is out of date (run with {@code -Dplan.schema.write=true} to
 * rewrite it), and checks every plan in plans/ against it.
 */
class PlanSchemaTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path PUBLISHED = ROOT.resolve("docs/plan.schema.json");
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void thePublishedSchemaIsTheOneTheModelGenerates() throws IOException {
    String generated = JSON.writeValueAsString(PlanSchema.generate()) + "\n";
    if (Boolean.getBoolean("plan.schema.write")) Files.writeString(PUBLISHED, generated);
    assertThat(PUBLISHED).as("docs/plan.schema.json (regenerate: -Dplan.schema.write=true)").hasContent(generated);
  }

  static Stream<Path> plans() throws IOException {
    return Files.list(ROOT.resolve("plans")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("plans")
  void everySeedPlanMatchesTheSchema(Path plan) throws IOException {
    Set<ValidationMessage> problems = validate(yaml(plan));
    assertThat(problems).as(plan.getFileName().toString()).isEmpty();
  }

  @Test
  void aMisspelledFieldAWrongUnitAndAnUnknownStepKindAreFlagged() throws IOException {
    JsonNode plan = yaml(ROOT.resolve("plans/batch-patches-canary.yaml"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("phases").get(0)).put("bakee", "24h");
    ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("phases").get(1)).put("bake", "two days");
    ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("phases").get(2).path("steps").get(0)).put("kind", "teleport");
    List<String> problems = validate(plan).stream().map(ValidationMessage::getMessage).toList();
    assertThat(problems).anyMatch(m -> m.contains("$.phases[0]") && m.contains("'bakee' is not defined"));
    assertThat(problems).anyMatch(m -> m.contains("$.phases[1].bake: does not match"));
    assertThat(problems).anyMatch(m -> m.contains("$.phases[2].steps[0].kind: does not have a value in the enumeration"));
  }

  /** A plan as an editor's YAML language server sees it: anchors and aliases resolved. */
  private static JsonNode yaml(Path file) throws IOException {
    return JSON.valueToTree(new org.yaml.snakeyaml.Yaml().load(Files.readString(file)));
  }

  private static Set<ValidationMessage> validate(JsonNode plan) throws IOException {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(JSON.readTree(PUBLISHED.toFile()));
    return schema.validate(plan);
  }
}
