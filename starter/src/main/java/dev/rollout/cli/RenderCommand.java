package dev.rollout.cli;

import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Plans;
import dev.rollout.render.MermaidGantt;
import dev.rollout.render.PlanPicture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "render",
    description = {
      "Draws a plan, without a server: phases on a time axis (days or weeks), the canary weight as a",
      "step line, bakes, deployment windows, approvals, gates and checklists marked.",
      "Writes to --out, or to standard output (svg, mermaid)."
    })
final class RenderCommand implements Callable<Integer> {
  enum Format { svg, png, mermaid }

  @ParentCommand RolloutCli root;

  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file.")
  Path planFile;

  @Option(names = {"-f", "--format"}, defaultValue = "svg", description = "svg, png or mermaid (default svg).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the picture (required for png).")
  Path out;

  @Override
  public Integer call() {
    Plan plan;
    try {
      plan = Plans.load(planFile);
    } catch (PlanException e) {
      e.problems().forEach(p -> root.terminal().err().println(p));
      throw CliException.refused(planFile + " is not a valid plan (" + e.problems().size() + " problems)");
    }
    byte[] picture = switch (format) {
      case svg -> PlanPicture.svg(plan).getBytes(StandardCharsets.UTF_8);
      case png -> PlanPicture.png(plan);
      case mermaid -> MermaidGantt.of(plan).getBytes(StandardCharsets.UTF_8);
    };
    if (out == null) {
      if (format == Format.png) throw new CliException(ExitCodes.USAGE, "--format png needs --out FILE");
      root.terminal().out().print(new String(picture, StandardCharsets.UTF_8));
      root.terminal().out().flush();
      return ExitCodes.OK;
    }
    try {
      if (out.getParent() != null) Files.createDirectories(out.getParent());
      Files.write(out, picture);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    root.terminal().out().println("wrote " + out + " (" + plan.name() + ", " + plan.phases().size() + " phases)");
    return ExitCodes.OK;
  }
}
