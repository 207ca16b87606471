package dev.rollout.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rollout}: starts, steers, rehearses and validates rollout plans. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs multi-phase rollout plans as durable Temporal workflows.",
    footer = {
      "",
      "Exit codes: 0 success, 1 plan invalid or request refused, 2 usage error,",
      "            3 cannot reach the server.",
      "Environment: ROLLOUT_API  the REST API (default http://127.0.0.1:8088)",
      "             ROLLOUT_USER who you are (default: the OS user)"
    },
    subcommands = {
      ValidateCommand.class,
      RenderCommand.class,
      RehearseCommand.class,
      StartCommand.class,
      ListCommand.class,
      StatusCommand.class,
      RunsCommand.class,
      AuditCommand.class,
      WatchCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      ConfirmCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      AbortCommand.class,
      SkipBakeCommand.class,
      DecideCommand.class,
      UndoCommand.class,
      RecoverCommand.class,
      ServerCommand.class,
      DemoCommand.class,
      CompletionCommand.class,
    })
public final class RolloutCli implements Runnable {

  private final Terminal terminal;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public RolloutCli(Terminal terminal) {
    this.terminal = terminal;
  }

  public Terminal terminal() {
    return terminal;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    QuietLogs.apply();
    int code = execute(new Terminal(out, err, in, System.getenv()), args);
    // The server and demo commands leave non-daemon threads behind (Temporal, Tomcat).
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; what it prints goes to the terminal's streams. */
  public static int execute(Terminal terminal, String... args) {
    CommandLine cli = commandLine(terminal);
    int code = cli.execute(args);
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }

  static CommandLine commandLine(Terminal terminal) {
    CommandLine cli = new CommandLine(new RolloutCli(terminal));
    cli.setOut(terminal.out());
    cli.setErr(terminal.err());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CliException failure) {
            commandLine.getErr().println("rollout: " + failure.getMessage());
            return failure.exitCode();
          }
          throw e;
        });
    return cli;
  }
}
