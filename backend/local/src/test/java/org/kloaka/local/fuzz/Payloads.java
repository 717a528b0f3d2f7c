package org.kloaka.local.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Random bytes and JSON for the fuzzers: mutations of valid input, deep nesting, huge numbers,
 * unicode from every plane (lone surrogates and NUL included), big payloads.
 */
public final class Payloads {

  /** Tokens a mutation splices in: JSON structure, edge numbers, odd unicode. */
  static final List<String> DICTIONARY =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          "\"",
          "\\",
          "\\u0000",
          "\\ud800",
          "null",
          "true",
          "false",
          "-0",
          "1e999999999",
          "-1e-999999999",
          "1E+2",
          "100",
          "100.0000000000000000000001",
          "99999999999999999999999999999999999999",
          "NaN",
          "Infinity",
          "0x10",
          "\u0000",
          "\u00ff",
          "\ud83d\udca9",
          "\u202e",
          "\ufeff",
          "\uffff",
          "\"id\"",
          "\"filling\"",
          "\"01\"",
          "\"12-7\"",
          "\"0-01\"",
          "\"end_device_ids\"",
          "\"uplink_message\"",
          "\"decoded_payload\"",
          "\"frm_payload\"",
          "\"received_at\"",
          "//",
          "/*",
          "'",
          "\r\n");

  private Payloads() {}

  public static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /**
   * One to eight mutations of {@code seed}: flips, inserts, deletes, repeats, dictionary splices.
   */
  public static byte[] mutate(Random random, byte[] seed) {
    byte[] current = seed.clone();
    int rounds = 1 + random.nextInt(8);
    for (int r = 0; r < rounds; r++) {
      current = mutateOnce(random, current);
    }
    return current;
  }

  private static byte[] mutateOnce(Random random, byte[] in) {
    if (in.length == 0) {
      return DICTIONARY.get(random.nextInt(DICTIONARY.size())).getBytes(StandardCharsets.UTF_8);
    }
    int at = random.nextInt(in.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
    switch (random.nextInt(7)) {
      case 0 -> { // flip a bit
        byte[] copy = in.clone();
        copy[at] ^= (byte) (1 << random.nextInt(8));
        return copy;
      }
      case 1 -> { // random byte
        byte[] copy = in.clone();
        copy[at] = (byte) random.nextInt(256);
        return copy;
      }
      case 2 -> { // delete a run
        int length = Math.min(in.length - at, 1 + random.nextInt(8));
        out.write(in, 0, at);
        out.write(in, at + length, in.length - at - length);
      }
      case 3 -> { // repeat a run
        int length = Math.min(in.length - at, 1 + random.nextInt(16));
        out.write(in, 0, at + length);
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          out.write(in, at, length);
        }
        out.write(in, at + length, in.length - at - length);
      }
      case 4 -> { // truncate
        out.write(in, 0, at);
      }
      default -> { // splice a dictionary token
        out.write(in, 0, at);
        out.writeBytes(
            DICTIONARY.get(random.nextInt(DICTIONARY.size())).getBytes(StandardCharsets.UTF_8));
        out.write(in, at, in.length - at);
      }
    }
    return out.toByteArray();
  }

  /** {@code [[[[…]]]]} or {@code {"a":{"a":…}}}, about {@code maxBytes} long, maybe unclosed. */
  public static byte[] deepNesting(Random random, int maxBytes) {
    boolean objects = random.nextBoolean();
    String open = objects ? "{\"a\":" : "[";
    String close = objects ? "}" : "]";
    int depth = Math.max(1, Math.min(maxBytes / (open.length() + 1), 1 + random.nextInt(200_000)));
    StringBuilder text = new StringBuilder(depth * (open.length() + 1) + 1);
    text.append(open.repeat(depth)).append('1');
    if (random.nextBoolean()) {
      text.append(close.repeat(depth));
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A number with up to {@code maxDigits} digits, maybe signed, with a fraction or exponent. */
  public static String hugeNumber(Random random, int maxDigits) {
    StringBuilder number = new StringBuilder();
    if (random.nextBoolean()) {
      number.append('-');
    }
    int digits = 1 + random.nextInt(maxDigits);
    number.append(1 + random.nextInt(9));
    for (int i = 1; i < digits; i++) {
      number.append(random.nextInt(10));
    }
    switch (random.nextInt(3)) {
      case 0 -> number.append('.').append("0".repeat(random.nextInt(50))).append('1');
      case 1 ->
          number
              .append('e')
              .append(random.nextBoolean() ? "-" : "")
              .append(random.nextInt(1_000_000_000));
      default -> {}
    }
    return number.toString();
  }

  /** A string of random code points from every plane, lone surrogates and controls included. */
  public static String unicode(Random random, int maxLength) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        text.append((char) (0x20 + random.nextInt(0x5f)));
      } else if (kind < 6) {
        text.appendCodePoint(random.nextInt(0x20));
      } else if (kind < 8) {
        text.appendCodePoint(0x80 + random.nextInt(0xd800 - 0x80));
      } else if (kind == 8) {
        text.appendCodePoint(0x10000 + random.nextInt(0x100000));
      } else {
        text.append((char) (0xd800 + random.nextInt(0x800))); // a lone surrogate
      }
    }
    String result = text.toString();
    return Leaks.innocent(result) ? result : "x";
  }

  /** A random JSON value (as text), sometimes with unicode keys, huge numbers or deep nesting. */
  public static String json(Random random) {
    StringBuilder out = new StringBuilder();
    value(random, out, 0);
    return out.toString();
  }

  private static void value(Random random, StringBuilder out, int depth) {
    int kind = random.nextInt(depth > 4 ? 5 : 8);
    switch (kind) {
      case 0 -> out.append("null");
      case 1 -> out.append(random.nextBoolean());
      case 2 -> out.append(hugeNumber(random, random.nextInt(10) == 0 ? 2000 : 6));
      case 3, 4 -> string(random, out);
      case 5 -> {
        out.append('[');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          value(random, out, depth + 1);
        }
        out.append(']');
      }
      default -> {
        out.append('{');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          string(random, out);
          out.append(':');
          value(random, out, depth + 1);
        }
        out.append('}');
      }
    }
  }

  private static void string(Random random, StringBuilder out) {
    out.append('"');
    String text = random.nextInt(3) == 0 ? unicode(random, 20) : pickKey(random);
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static String pickKey(Random random) {
    List<String> keys =
        List.of("id", "filling", "action", "ping", "problem_status", "note", "RESOLVED", "01", "x");
    return keys.get(random.nextInt(keys.size()));
  }
}
