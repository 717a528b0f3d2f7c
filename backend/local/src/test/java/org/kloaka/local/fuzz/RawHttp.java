package org.kloaka.local.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a test can send what no well-behaved client library would: any
 * method, any bytes in the path or headers, wrong framing, several requests in one write.
 */
public final class RawHttp {

  /** One answer as it came over the wire. */
  public record Answer(int status, Map<String, String> headers, byte[] body, String head) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What came back for one write: the answers read, and whether the server closed. */
  public record Exchange(List<Answer> answers, boolean closed, boolean timedOut, String garbage) {}

  private RawHttp() {}

  /**
   * Sends {@code request} on a new connection and reads one answer per entry of {@code methods}
   * (the methods of the requests it holds, in order: an answer to HEAD has no body), waiting at
   * most {@code timeoutMillis} for each.
   */
  public static Exchange send(URI server, byte[] request, List<String> methods, int timeoutMillis)
      throws IOException {
    try (Socket socket = new Socket(server.getHost(), server.getPort())) {
      socket.setSoTimeout(timeoutMillis);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // The server may answer and close before it has read everything (413, 431): read on.
      }
      InputStream in = socket.getInputStream();
      List<Answer> answers = new ArrayList<>();
      try {
        while (answers.size() < methods.size()) {
          boolean head = methods.get(answers.size()).equals("HEAD");
          Answer answer = readAnswer(in, head);
          while (answer != null && answer.status() / 100 == 1) {
            answer = readAnswer(in, head); // 100 Continue is interim: the answer follows
          }
          if (answer == null) {
            return new Exchange(answers, true, false, "");
          }
          answers.add(answer);
        }
      } catch (SocketTimeoutException e) {
        return new Exchange(answers, false, true, "");
      } catch (MalformedAnswer e) {
        return new Exchange(answers, false, false, e.getMessage());
      } catch (IOException e) {
        // A reset after the answers is a close too.
        return new Exchange(answers, true, false, "");
      }
      return new Exchange(answers, false, false, "");
    }
  }

  static final class MalformedAnswer extends IOException {
    MalformedAnswer(String what) {
      super(what);
    }
  }

  /** Reads one answer; null when the connection closed before its first byte. */
  static Answer readAnswer(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (bytes.size() == 0) {
          return null;
        }
        throw new MalformedAnswer("the connection closed inside an answer's head: " + bytes);
      }
      bytes.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (bytes.size() > 64 * 1024) {
        throw new MalformedAnswer("an answer's head over 64 KiB");
      }
    }
    String text = bytes.toString(StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new MalformedAnswer("not an HTTP status line: " + lines[0]);
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = new byte[0];
    String length = headers.get("content-length");
    if (head && !"close".equalsIgnoreCase(headers.get("connection"))) {
      return new Answer(status, headers, body, text);
    } else if (length != null) {
      // After a HEAD, only a closing answer can be followed by a body: the server did not take the
      // request for a HEAD (it could not read it); reading up to the close is safe either way.
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      throw new MalformedAnswer("a chunked answer; the server always sends Content-Length");
    } else if (status != 204 && status != 304 && status / 100 != 1) {
      throw new MalformedAnswer("an answer without Content-Length: " + text);
    }
    return new Answer(status, headers, body, text);
  }
}
