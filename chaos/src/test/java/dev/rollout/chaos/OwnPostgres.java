package dev.rollout.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL instance of the test's own, on a random port, that the test may kill -9 (never the
 * shared one other tests use). Runs as the {@code postgres} user: initdb and pg_ctl refuse root.
 */
final class OwnPostgres implements AutoCloseable {

  private static final Path BIN = Path.of(System.getProperty("chaos.pgbin", "/usr/lib/postgresql/15/bin"));

  final int port = JavaProcess.freePort();
  private final Path dir;
  private final Path data;

  OwnPostgres() throws IOException, InterruptedException {
    Path parent = Files.createTempDirectory("chaos-pg-");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    dir = Files.createDirectory(parent.resolve("pg"));
    data = dir.resolve("data");
    run("chown", "postgres:postgres", dir.toString());
    run("chmod", "700", dir.toString());
    asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust");
    start();
  }

  void start() throws IOException, InterruptedException {
    asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
  }

  /** kill -9 of the postmaster and every backend: a crash, not a shutdown. */
  void kill() throws IOException {
    long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    postmaster.destroyForcibly();
    all.forEach(ProcessHandle::destroyForcibly);
    Poll.until("PostgreSQL to die", Duration.ofSeconds(30), () -> !postmaster.isAlive() && all.stream().noneMatch(ProcessHandle::isAlive));
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), "postgres", "");
  }

  void execute(String database, String... sql) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      for (String statement : sql) s.execute(statement);
    }
  }

  long queryLong(String database, String sql) throws SQLException {
    try (Connection c = connect(database); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** True when a session of {@code application} runs a statement now (pg_dump, psql). */
  boolean busy(String application) {
    try {
      return queryLong("postgres", "select count(*) from pg_stat_activity where application_name = '" + application
          + "' and state = 'active'") > 0;
    } catch (SQLException notYet) {
      return false;
    }
  }

  private static void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    run(full.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
    } catch (IOException alreadyDown) {
      // killed by the test and not restarted
    }
    run("rm", "-rf", dir.getParent().toString());
  }
}
