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

  /**
   * Why a name asserted by someone else (an identity provider) must not be taken, or null when it
   * may: folding "ａｌｉｃｅ" (full-width) or "ali\u200Bce" onto alice is right for counting people,
   * but would hand a stranger alice's rights, so such names are refused instead of folded.
   * Case and composed or decomposed accents are the same text, not look-alikes.
   */
  public static String lookAlike(String name) {
    if (name == null) return null;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.PRIVATE_USE
          || type == Character.UNASSIGNED || type == Character.SURROGATE) {
        return String.format(Locale.ROOT, "holds the invisible or control character U+%04X", c);
      }
      i += Character.charCount(c);
    }
    String text = Normalizer.normalize(name, Normalizer.Form.NFC);
    if (!text.equals(Normalizer.normalize(name, Normalizer.Form.NFKC))) {
      return "holds compatibility characters (full-width, ligatures, super- or subscripts) that look like other letters";
    }
    return null;
  }
}
