package dev.reverserepl.common.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loop that checks BYTES values accepts exactly what standard padded base64 is. */
class Base64CheckTest {
  // the definition: whole groups of four, then at most one padded group
  private static final Pattern PADDED =
      Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  @Test
  void theCheckAgreesWithTheDefinitionOnEveryString() {
    Random r = new Random(3);
    String chars = "AZaz09+/=-_ !\u00e9";
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder s = new StringBuilder();
      int n = r.nextInt(13);
      for (int k = 0; k < n; k++) {
        s.append(chars.charAt(r.nextInt(chars.length())));
      }
      String text = s.toString();
      boolean expected = PADDED.matcher(text).matches();
      assertEquals(expected, SpannerValues.isBase64(text), "'" + text + "'");
      accepted += expected ? 1 : 0;
    }
    assertTrue(accepted > 1_000, "too few valid strings drawn: " + accepted);
    for (int len = 0; len < 40; len++) {
      byte[] b = new byte[len];
      r.nextBytes(b);
      assertTrue(SpannerValues.isBase64(Base64.getEncoder().encodeToString(b)));
    }
    assertFalse(
        SpannerValues.isBase64(
            Base64.getEncoder().withoutPadding().encodeToString(new byte[] {1})));
  }
}
