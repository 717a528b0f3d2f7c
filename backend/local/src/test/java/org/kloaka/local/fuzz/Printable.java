package org.kloaka.local.fuzz;

import java.nio.charset.StandardCharsets;

/** Inputs and answers shown in failure messages: control bytes escaped, long ones clipped. */
public final class Printable {

  private Printable() {}

  public static String of(byte[] bytes) {
    return of(bytes, 2000);
  }

  public static String of(byte[] bytes, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes.length && out.length() < max; i++) {
      int b = bytes[i] & 0xff;
      if (b == '\\') {
        out.append("\\\\");
      } else if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
      } else if (b == '\r') {
        out.append("\\r");
      } else if (b == '\n') {
        out.append("\\n");
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    if (bytes.length > 0 && out.length() >= max) {
      out.append("… (").append(bytes.length).append(" bytes)");
    }
    return out.toString();
  }

  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  static String clip(CharSequence text, int max) {
    return text.length() <= max ? text.toString() : text.subSequence(0, max) + "…";
  }
}
