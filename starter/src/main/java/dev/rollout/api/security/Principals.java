package dev.rollout.api.security;

import java.text.Normalizer;
import java.util.Locale;

/**
 * One spelling per person: "Alice", "ALICE" and "ａｌｉｃｅ" (full-width) are the same principal.
 * Every name the API hands to a rollout (who started it, who approved) is canonical, so the
 * workflow's four-eyes check compares like with like.
 */
public final class Principals {
  private Principals() {}

  /** Unicode NFKC, then lower case (locale-independent), trimmed. */
  public static String canonical(String name) {
    if (name == null) return null;
    return Normalizer.normalize(name.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
  }
}
