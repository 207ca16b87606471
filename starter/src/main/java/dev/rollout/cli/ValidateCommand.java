package dev.rollout.cli;

import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Plans;
import dev.rollout.plan.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "validate",
    description = {
      "Checks plan files here, without a server.",
      "Prints every problem with its file:line:column and field.",
      "A directory means every .yaml, .yml and .json file in it and below. Exits 1 when any plan is invalid."
    })
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand RolloutCli root;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Plan files, or directories of them.")
  List<Path> paths;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json.")
  OutputFormat output;

  record Checked(String file, String plan, int phases, List<Problem> problems) {}

  @Override
  public Integer call() {
    List<Checked> results = new ArrayList<>();
    for (Path file : planFiles()) results.add(check(file));
    PrintWriter out = root.terminal().out();
    if (output == OutputFormat.json) {
      out.println(Json.pretty(results));
    } else {
      for (Checked c : results) {
        if (c.problems().isEmpty()) {
          out.printf("ok       %s  (%s, %d phases)%n", c.file(), c.plan(), c.phases());
        } else {
          out.printf("INVALID  %s  (%d problems)%n", c.file(), c.problems().size());
          c.problems().forEach(p -> root.terminal().err().println(p));
        }
      }
    }
    return results.stream().allMatch(c -> c.problems().isEmpty()) ? ExitCodes.OK : ExitCodes.REFUSED;
  }

  private static Checked check(Path file) {
    try {
      Plan plan = Plans.load(file);
      return new Checked(file.toString(), plan.name(), plan.phases().size(), List.of());
    } catch (PlanException e) {
      return new Checked(file.toString(), null, 0, e.problems());
    }
  }

  private List<Path> planFiles() {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.isDirectory(path)) {
        files.add(path);
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        List<Path> found = walk.filter(ValidateCommand::isPlanFile).sorted().toList();
        if (found.isEmpty()) throw CliException.refused(path + " holds no plan files (.yaml, .yml, .json)");
        files.addAll(found);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  static boolean isPlanFile(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  /** The plan's content type, for the API: JSON files as JSON, everything else as YAML. */
  static String contentType(Path file) {
    return file.getFileName().toString().endsWith(".json") ? "application/json" : "application/yaml";
  }
}
