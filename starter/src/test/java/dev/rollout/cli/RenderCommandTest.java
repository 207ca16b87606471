package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render} draws every seed plan; this test also (re)generates docs/plans/*.svg, the pictures
 * the README and docs show, so CI keeps them in step with the plans.
 */
class RenderCommandTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void everySeedPlanIsDrawnIntoDocsPlans() throws Exception {
    List<Path> plans;
    try (Stream<Path> files = Files.list(ROOT.resolve("plans"))) {
      plans = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(plans).hasSize(5);
    for (Path plan : plans) {
      Path svg = ROOT.resolve("docs/plans").resolve(plan.getFileName().toString().replace(".yaml", ".svg"));
      Run run = Run.of("render", plan.toString(), "--format", "svg", "--out", svg.toString());
      assertThat(run.exitCode()).as(run.toString()).isZero();
      String picture = Files.readString(svg);
      assertThat(picture).startsWith("<svg").contains("</svg>").contains("1. ");
    }
    String canary = Files.readString(ROOT.resolve("docs/plans/batch-patches-canary.svg"));
    assertThat(canary).contains("wave-1-internal", "wave-4-full-production", "canary weight", "10%", "25%", "50%", "100%", "day 7");
    String eightWeeks = Files.readString(ROOT.resolve("docs/plans/phased-programme-8-weeks.svg"));
    assertThat(eightWeeks).contains("week 8");
    // drivemind steps 10 → 50 → 100 % within hours: each weight keeps its label (they sit at different heights)
    String drivemind = Files.readString(ROOT.resolve("docs/plans/drivemind-7-day.svg"));
    assertThat(drivemind).contains("#e12d39\" font-weight=\"bold\">10%<", "#e12d39\" font-weight=\"bold\">50%<",
        "#e12d39\" font-weight=\"bold\">100%<");
  }

  @Test
  void pngAndMermaidToo() throws Exception {
    Path plan = ROOT.resolve("plans/batch-patches-canary.yaml");
    Path png = dir.resolve("canary.png");
    assertThat(Run.of("render", plan.toString(), "--format", "png", "--out", png.toString()).exitCode()).isZero();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

    Run mermaid = Run.of("render", plan.toString(), "--format", "mermaid");
    assertThat(mermaid.exitCode()).as(mermaid.toString()).isZero();
    assertThat(mermaid.out()).startsWith("gantt").contains("section 1. wave-1-internal", "traffic 10%", ":milestone");
  }

  @Test
  void anInvalidPlanIsRefused() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\n");
    assertThat(Run.of("render", bad.toString()).exitCode()).isEqualTo(ExitCodes.REFUSED);
  }
}
