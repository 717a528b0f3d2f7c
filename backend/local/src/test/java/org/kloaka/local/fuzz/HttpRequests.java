package org.kloaka.local.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random HTTP requests for the REST fuzzer: methods, paths, query strings, headers and bodies, from
 * well-formed to byte soup. Every request says how it is framed, which decides what the oracle may
 * expect.
 */
final class HttpRequests {

  /** How much the oracle may expect of the answer. */
  enum Kind {
    /** Valid HTTP framing: one answer per request, each the contract's JSON. */
    FRAMED,
    /** Broken framing the server can see at once: a JSON 4xx answer or a close, never a hang. */
    BAD_FRAMING,
    /** Arbitrary bytes: whatever comes back is JSON without internals; silence is allowed. */
    SOUP
  }

  /**
   * @param methods the method of each request in {@code bytes}, in order
   * @param authorized for each request, whether it carries the right token (else it gets no data)
   */
  record Generated(byte[] bytes, List<String> methods, Kind kind, List<Boolean> authorized) {}

  static final List<String> METHODS =
      List.of(
          "GET",
          "GET",
          "GET",
          "GET",
          "PATCH",
          "PATCH",
          "POST",
          "PUT",
          "DELETE",
          "HEAD",
          "OPTIONS",
          "TRACE",
          "get",
          "Patch",
          "FOO",
          "X-KLOAKA",
          "M-SEARCH",
          "PROPFIND");
  static final List<String> PATHS =
      List.of(
          "/",
          "/health",
          "/devices",
          "/devices/{id}",
          "/devices/{id}/measurements",
          "/problems",
          "/problems/{pid}",
          "/rejects",
          "/network",
          "/{junk}",
          "/devices/{id}/{junk}",
          "/problems/{pid}/{junk}",
          "/health/{junk}",
          "/{junk}/devices");
  static final List<String> IDS =
      List.of(
          "01",
          "02",
          "0-1",
          "12-7",
          "9999-9999",
          "99",
          "1",
          "001",
          "0-01",
          "-1",
          "1-",
          "a",
          "%2F",
          "..",
          ".",
          "%00",
          "%zz",
          "%",
          "%C0%AF",
          "%E2%82",
          "%F0%9F%92%A9",
          "%20",
          "+",
          "~",
          "01%2F02",
          "%30%31",
          "１２",
          "\u0661\u0662",
          "0102",
          "0-10",
          "10000-1",
          "0x1",
          "1e2",
          "\u00e9",
          "\ud83d\udca9",
          "");
  static final List<String> PROBLEM_IDS =
      List.of("0102", "0203", "0-10-11", "", "x", "%zz", "%00", "0102%20", "\u00e9\u00e9", "9999");
  static final List<String> JUNK =
      List.of(
          "x",
          "..",
          "%2e%2e",
          "%252F",
          ";a=b",
          "a?b",
          "#frag",
          "%ff",
          "%u0041",
          "\u202e",
          "\u0000",
          "admin",
          "*",
          "measurements",
          "null",
          "undefined",
          "%0d%0a",
          "a".repeat(300));
  static final List<String> QUERY_NAMES =
      List.of("since", "until", "limit", "status", "limt", "x", "", "token", "since[]", "%73ince");
  static final List<String> QUERY_VALUES =
      List.of(
          "0",
          "1",
          "-1",
          "1658274939",
          "99999999999999999999",
          "9223372036854775807",
          "9223372036854775808",
          "1e3",
          "0x10",
          "",
          "abc",
          "RESOLVED",
          "UNRESOLVED",
          "resolved",
          "%00",
          "%zz",
          "+",
          "%2B",
          "10000",
          "10001",
          "0",
          " 5",
          "5 ",
          "%20%20",
          "\u00e9",
          "1.5",
          "NaN",
          "x".repeat(3000));
  static final List<String> BODIES =
      List.of(
          "{\"problem_status\":\"RESOLVED\"}",
          "{\"problem_status\":\"RESOLVED\",\"note\":\"cleared\",\"resolved_by\":\"ops\"}",
          "{\"problem_status\":\"UNRESOLVED\"}",
          "{\"problem_status\":\"resolved\"}",
          "{\"problem_status\":null}",
          "{\"problem_status\":\"RESOLVED\",\"problem_status\":\"RESOLVED\"}",
          "{\"problem_status\":\"RESOLVED\"} trailing",
          "{\"problem_status\":\"RESOLVED\",\"note\":5}",
          "{\"problem_status\":\"RESOLVED\",\"extra\":1}",
          "{\"problem_status\":\"RESOLVED\",\"resolved_by\":\"   \"}",
          "[]",
          "null",
          "\"RESOLVED\"",
          "",
          "{",
          "\u00ef\u00bb\u00bf{}",
          "{\"note\":\"\ud83d\udca9\u202e\u0000\"}");

  private HttpRequests() {}

  static Generated next(Random random, String token) {
    int pick = random.nextInt(100);
    if (pick < 62) {
      return framed(random, token, 1);
    } else if (pick < 70) {
      return framed(random, token, 2 + random.nextInt(3));
    } else if (pick < 82) {
      return badFraming(random, token);
    } else {
      return soup(random, token);
    }
  }

  private record One(byte[] bytes, String method, boolean authorized) {}

  private static Generated framed(Random random, String token, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> methods = new ArrayList<>();
    List<Boolean> authorized = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      One one = one(random, token);
      out.writeBytes(one.bytes());
      methods.add(one.method().toUpperCase(java.util.Locale.ROOT));
      authorized.add(one.authorized());
    }
    return new Generated(out.toByteArray(), methods, Kind.FRAMED, authorized);
  }

  private static One one(Random random, String token) {
    // One request in seven is a resolve with the token, so fuzzed bodies reach the body parser.
    boolean resolve = random.nextInt(7) == 0;
    String method = resolve ? "PATCH" : pick(random, METHODS);
    String path = resolve ? "/problems/" + pick(random, PROBLEM_IDS) : path(random);
    // A space would end the request target early: that is broken framing, not this category.
    String target = (path + query(random)).replace(" ", "%20");
    if (random.nextInt(40) == 0) {
      target = "http://127.0.0.1" + target; // absolute form
    }
    if (random.nextInt(60) == 0) {
      target = "/" + "a".repeat(9000 + random.nextInt(20_000)); // over the request-line limit
    }
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    if (random.nextInt(10) != 0) {
      head.append("Host: 127.0.0.1\r\n");
    }
    boolean rightToken = false;
    switch (resolve ? 7 : random.nextInt(12)) {
      case 0 -> {} // no Authorization
      case 1 -> head.append("Authorization: Bearer\r\n");
      case 2 -> head.append("Authorization: Basic dXNlcjpwYXNz\r\n");
      case 3 -> head.append("Authorization: Bearer ").append(token).append("x\r\n");
      case 4 -> head.append("Authorization: Bearer ").append(token, 0, 10).append("\r\n");
      case 5 -> head.append("Authorization: Bearer ").append("f".repeat(20_000)).append("\r\n");
      case 6 -> {
        head.append("Authorization: bearer   ").append(token).append("  \r\n");
        rightToken = true;
      }
      default -> {
        head.append("Authorization: Bearer ").append(token).append("\r\n");
        rightToken = true;
      }
    }
    int extras = random.nextInt(4);
    for (int i = 0; i < extras; i++) {
      head.append(extraHeader(random)).append("\r\n");
    }
    if (random.nextInt(50) == 0) {
      for (int i = 0; i < 50 + random.nextInt(400); i++) {
        head.append("X-Many-")
            .append(i)
            .append(": ")
            .append("v".repeat(random.nextInt(80)))
            .append("\r\n");
      }
    }
    byte[] body = body(random);
    while (resolve && body.length == 0) {
      body = body(random);
    }
    if (body.length > 0 || random.nextBoolean()) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (random.nextInt(15) == 0) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return new One(out.toByteArray(), method, rightToken);
  }

  static String path(Random random) {
    String template = pick(random, PATHS);
    String path =
        template
            .replace("{id}", pick(random, IDS))
            .replace("{pid}", pick(random, PROBLEM_IDS))
            .replace("{junk}", pick(random, JUNK));
    return switch (random.nextInt(20)) {
      case 0 -> path + "/";
      case 1 -> path.replaceFirst("/", "//");
      case 2 -> path + "/.";
      case 3 -> path.toUpperCase(java.util.Locale.ROOT);
      case 4 -> path.replace(" ", "%20").replace("\u0000", "%00");
      default -> path;
    };
  }

  static String query(Random random) {
    if (random.nextInt(3) == 0) {
      return "";
    }
    StringBuilder query = new StringBuilder("?");
    int parameters = random.nextInt(4);
    for (int i = 0; i < parameters; i++) {
      if (i > 0) {
        query.append(random.nextInt(10) == 0 ? "&&" : "&");
      }
      query.append(pick(random, QUERY_NAMES));
      if (random.nextInt(8) != 0) {
        query.append('=').append(pick(random, QUERY_VALUES));
      }
    }
    return query.toString();
  }

  private static String extraHeader(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> "Content-Type: application/json";
      case 1 -> "Content-Type: text/plain; charset=latin1";
      case 2 -> "Accept: */*";
      case 3 -> "Accept: text/html";
      case 4 -> "X-Forwarded-For: 10.0.0." + random.nextInt(255);
      case 5 -> "User-Agent: fuzz/\u00e9\u00e8";
      case 6 -> "Cookie: a=b; " + "c".repeat(random.nextInt(2000));
      case 7 -> "Upgrade: websocket";
      case 8 -> "Expect: 100-continue";
      case 9 -> "Accept-Encoding: gzip, deflate, br";
      case 10 -> "X-Long: " + "l".repeat(17_000 + random.nextInt(10_000));
      case 11 -> "Origin: http://evil.example";
      case 12 -> "Range: bytes=0-10";
      default -> "X-Empty:";
    };
  }

  static byte[] body(Random random) {
    return switch (random.nextInt(12)) {
      case 0, 1, 2, 3 -> new byte[0];
      case 4, 5, 6 -> pick(random, BODIES).getBytes(StandardCharsets.UTF_8);
      case 7 -> Payloads.mutate(random, pick(random, BODIES).getBytes(StandardCharsets.UTF_8));
      case 8 -> Payloads.randomBytes(random, random.nextInt(300));
      case 9 -> Payloads.deepNesting(random, 64 * 1024 - 10);
      case 10 -> new byte[64 * 1024 + 1 + random.nextInt(200_000)];
      default -> Payloads.json(random).getBytes(StandardCharsets.UTF_8);
    };
  }

  private static Generated badFraming(Random random, String token) {
    String start =
        "PATCH /problems/0102 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n";
    String body = "{\"problem_status\":\"RESOLVED\"}";
    String request =
        switch (random.nextInt(9)) {
          case 0 -> start + "Content-Length: abc\r\n\r\n" + body;
          case 1 -> start + "Content-Length: -5\r\n\r\n" + body;
          case 2 -> start + "Content-Length: 29\r\nContent-Length: 30\r\n\r\n" + body;
          case 3 -> start + "Content-Length: 1, 2\r\n\r\n" + body;
          case 4 -> start + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n";
          case 5 -> start + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n";
          case 6 -> start + "Transfer-Encoding: gzip, chunked, identity\r\n\r\n0\r\n\r\n";
          case 7 -> start.replace("HTTP/1.1", "HTTP/1.1 extra") + "\r\n";
          default -> start + "Bad Header Name: x\r\nContent-Length: 0\r\n\r\n";
        };
    return new Generated(
        request.getBytes(StandardCharsets.UTF_8),
        List.of("PATCH"),
        Kind.BAD_FRAMING,
        List.of(true));
  }

  private static Generated soup(Random random, String token) {
    byte[] bytes;
    switch (random.nextInt(6)) {
      case 0 -> bytes = Payloads.randomBytes(random, 1 + random.nextInt(2000));
      case 1 -> {
        String line = pick(random, METHODS) + " " + path(random) + query(random) + " HTTP/1.1";
        bytes =
            Payloads.mutate(
                random, (line + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      }
      case 2 -> bytes = Payloads.mutate(random, framed(random, token, 1).bytes());
      case 3 -> bytes = ("GET\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      case 4 -> bytes = ("GET /devices HTTP/9.9\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      default ->
          bytes =
              ("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003")
                  .getBytes(StandardCharsets.ISO_8859_1); // a TLS hello
    }
    // The server reads the method before it finds what is wrong: an answer to HEAD has no body.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    boolean head = text.startsWith("HEAD ");
    // A mutation may leave the token whole: then data may come back.
    return new Generated(
        bytes, List.of(head ? "HEAD" : "GET"), Kind.SOUP, List.of(text.contains(token)));
  }

  static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
