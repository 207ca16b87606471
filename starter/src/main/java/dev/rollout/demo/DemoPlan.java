package dev.rollout.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The plan the demo runs, {@code demo/demo-plan.yaml}, pointed at wherever the demo router
 * listens. The file names the default address so it validates and rehearses as it is.
 */
public final class DemoPlan {
  private DemoPlan() {}

  public static final String RESOURCE = "/demo/demo-plan.yaml";
  /** The router address written in the plan file. */
  public static final String DEFAULT_ROUTER = "127.0.0.1:8089";
  public static final int DEFAULT_ROUTER_PORT = 8089;

  /** The plan's YAML, as shipped. */
  public static String text() {
    try (InputStream in = DemoPlan.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plan's YAML with its router and metrics URLs pointed at {@code router}. */
  public static String pointedAt(String planText, URI router) {
    return planText.replace("http://" + DEFAULT_ROUTER + "/", router.toString() + "/");
  }
}
