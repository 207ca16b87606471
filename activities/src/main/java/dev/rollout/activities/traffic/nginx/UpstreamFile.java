package dev.rollout.activities.traffic.nginx;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.traffic.Weights;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an nginx file holding an {@code upstream} block. Rewrites only the {@code weight} and
 * {@code down} parameters of the stable and canary servers, keeping everything else as written.
 * nginx refuses {@code weight=0}, so a server that gets no traffic is marked {@code down}.
 */
record UpstreamFile(String text) {

  private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server\\s+)(\\S+)([^;]*);");

  /** The weights the file gives the canary and stable servers of {@code upstream}. */
  Weights weights(String upstream, String stable, String canary) {
    String block = block(upstream).group(2);
    return new Weights(weightOf(block, stable, upstream), weightOf(block, canary, upstream));
  }

  UpstreamFile withWeights(String upstream, String stable, String canary, Weights weights) {
    Matcher block = block(upstream);
    String body = block.group(2);
    weightOf(body, stable, upstream); // both servers must be present
    weightOf(body, canary, upstream);
    StringBuilder out = new StringBuilder();
    Matcher m = SERVER.matcher(body);
    while (m.find()) {
      String address = m.group(2);
      String params = m.group(3).replaceAll("\\s+(weight=\\d+|down)\\b", "");
      if (address.equals(stable)) params += param(weights.stable());
      if (address.equals(canary)) params += param(weights.canary());
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + address + params + ";"));
    }
    m.appendTail(out);
    return new UpstreamFile(text.substring(0, block.start(2)) + out + text.substring(block.end(2)));
  }

  private static String param(int weight) {
    return weight == 0 ? " down" : " weight=" + weight;
  }

  private Matcher block(String upstream) {
    Matcher m = Pattern.compile("(upstream\\s+" + Pattern.quote(upstream) + "\\s*\\{)([^}]*)}").matcher(text);
    if (!m.find()) throw Failures.badInput("no 'upstream " + upstream + " { ... }' block in the upstream file");
    return m;
  }

  private static int weightOf(String block, String address, String upstream) {
    Matcher m = SERVER.matcher(block);
    while (m.find()) {
      if (!m.group(2).equals(address)) continue;
      String params = m.group(3);
      if (params.matches(".*\\bdown\\b.*")) return 0;
      Matcher weight = Pattern.compile("weight=(\\d+)").matcher(params);
      return weight.find() ? Integer.parseInt(weight.group(1)) : 1;
    }
    throw Failures.badInput("upstream " + upstream + " has no 'server " + address + "' line");
  }
}
