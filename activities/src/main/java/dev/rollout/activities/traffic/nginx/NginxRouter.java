package dev.rollout.activities.traffic.nginx;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Processes;
import dev.rollout.activities.traffic.TrafficRouter;
import dev.rollout.activities.traffic.Weights;
import dev.rollout.plan.Router;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weights of an nginx upstream kept in its own included file: rewrite the file atomically, {@code
 * nginx -t}, reload, read back. A config nginx rejects is put back as it was and reported.
 */
public class NginxRouter implements TrafficRouter<Router.Nginx> {

  private final NginxSettings settings;

  public NginxRouter(NginxSettings settings) {
    this.settings = settings;
  }

  @Override
  public Class<Router.Nginx> type() {
    return Router.Nginx.class;
  }

  @Override
  public void setWeight(Router.Nginx spec, double percent) throws IOException, InterruptedException {
    Weights weights = Weights.of(percent);
    Path file = Path.of(spec.upstreamFile());
    String before = read(file);
    String after = new UpstreamFile(before).withWeights(spec.upstream(), spec.stable(), spec.canary(), weights).text();
    // Always test and reload, even when the file already says so: a crash may have come between
    // the write and the reload, and a retry must still make nginx serve it.
    writeAtomically(file, after);
    Processes.Result test = nginx(spec, "-t");
    if (!test.ok()) {
      writeAtomically(file, before);
      throw Failures.nonRetryable(
          "NginxConfigRejected", "nginx -t rejected the new upstream weights (file restored): " + test.stderr().strip(), null);
    }
    Processes.Result reload = nginx(spec, "-s", "reload");
    if (!reload.ok()) {
      writeAtomically(file, before);
      throw ApplicationFailure.newFailure("nginx reload failed (file restored): " + reload.stderr().strip(), "NginxReloadFailed");
    }
    Weights written = new UpstreamFile(read(file)).weights(spec.upstream(), spec.stable(), spec.canary());
    if (!written.equals(weights)) {
      throw ApplicationFailure.newFailure("upstream file reads back " + written + ", expected " + weights, "WeightNotApplied");
    }
  }

  @Override
  public double readWeight(Router.Nginx spec) throws IOException {
    return new UpstreamFile(read(Path.of(spec.upstreamFile()))).weights(spec.upstream(), spec.stable(), spec.canary()).percent();
  }

  private Processes.Result nginx(Router.Nginx spec, String... args) throws IOException, InterruptedException {
    // The same prefix and config nginx was started with, so the test and the signal reach it.
    Path config = Path.of(spec.nginxConfig()).toAbsolutePath();
    List<String> command = new ArrayList<>(List.of(settings.nginxBinary(), "-p", config.getParent() + "/", "-c", config.toString(), "-e", "stderr"));
    command.addAll(List.of(args));
    return Processes.run(command, Map.of(), settings.commandTimeout());
  }

  private static String read(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw Failures.badInput("nginx upstream file " + file + " does not exist");
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".upstream", ".tmp");
    Files.writeString(temp, text);
    if (Files.exists(file)) Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
