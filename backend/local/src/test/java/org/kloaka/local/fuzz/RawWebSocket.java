package org.kloaka.local.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client over a plain socket (RFC 6455), so a test can send frames no library would:
 * invalid UTF-8, unmasked, reserved bits and opcodes, oversized control frames, floods without
 * reading.
 */
public final class RawWebSocket implements AutoCloseable {

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** A frame as the server sent it. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, or -1. */
    public int closeCode() {
      return opcode == CLOSE && payload.length >= 2
          ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff)
          : -1;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Random masks = new Random(7);

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** The HTTP answer to a handshake: its head and body, as sent. */
  public record Handshake(int status, String head, String body, RawWebSocket socket) {}

  /** Sends {@code request} as the opening handshake and reads the answer's head (and body). */
  public static Handshake handshake(URI ws, byte[] request, int timeoutMillis) throws IOException {
    return handshake(ws, request, timeoutMillis, 0);
  }

  /**
   * @param receiveBuffer the socket's receive buffer in bytes (0: the system's), set before
   *     connecting so that it bounds the TCP window
   */
  static Handshake handshake(URI ws, byte[] request, int timeoutMillis, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress(ws.getHost(), ws.getPort()), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    RawWebSocket client = new RawWebSocket(socket);
    try {
      client.out.write(request);
      client.out.flush();
    } catch (IOException e) {
      // It may have answered and closed already.
    }
    RawHttp.Answer answer;
    try {
      answer = RawHttp.readAnswer(client.in, false);
    } catch (SocketTimeoutException e) {
      client.close();
      return new Handshake(-1, "", "", null);
    } catch (IOException e) {
      client.close();
      return new Handshake(0, "", "", null);
    }
    if (answer == null) {
      client.close();
      return new Handshake(0, "", "", null);
    }
    if (answer.status() != 101) {
      client.close();
      return new Handshake(answer.status(), answer.head(), answer.bodyText(), null);
    }
    return new Handshake(101, answer.head(), "", client);
  }

  /** A standard opening handshake for {@code resource} (path and query). */
  public static byte[] request(String resource, String extraHeaders) {
    byte[] key = new byte[16];
    new Random().nextBytes(key);
    return ("GET "
            + resource
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Connects to {@code ws} with {@code token}; fails unless the server accepts. */
  public static RawWebSocket open(URI ws, String token) throws IOException {
    return open(ws, token, 0);
  }

  /** The same, with a receive buffer of {@code receiveBuffer} bytes: a client that reads slowly. */
  public static RawWebSocket open(URI ws, String token, int receiveBuffer) throws IOException {
    Handshake handshake = handshake(ws, request("/?token=" + token, ""), 10_000, receiveBuffer);
    if (handshake.socket() == null) {
      throw new IOException("handshake refused: " + handshake.status() + " " + handshake.body());
    }
    return handshake.socket();
  }

  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void send(int opcode, byte[] payload) throws IOException {
    frame(true, 0, opcode, payload, true);
  }

  /**
   * Writes one frame exactly as described (a client must mask; {@code masked=false} breaks that).
   */
  public void frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked)
      throws IOException {
    out.write(encode(fin, rsv, opcode, payload, masked));
    out.flush();
  }

  /** The bytes of a frame, for writing many at once. */
  public byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xf));
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(maskBit | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(maskBit | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (length >> shift) & 0xff);
      }
    }
    if (masked) {
      byte[] mask = new byte[4];
      masks.nextBytes(mask);
      frame.writeBytes(mask);
      byte[] body = payload.clone();
      for (int i = 0; i < body.length; i++) {
        body[i] ^= mask[i % 4];
      }
      frame.writeBytes(body);
    } else {
      frame.writeBytes(payload);
    }
    return frame.toByteArray();
  }

  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
  }

  /** The next frame from the server; {@link EOFException} when it closed the connection. */
  public Frame read() throws IOException {
    int first = in.read();
    int second = in.read();
    if (first < 0 || second < 0) {
      throw new EOFException("the server closed the connection");
    }
    long length = second & 0x7f;
    if (length == 126) {
      length = (readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    if ((second & 0x80) != 0) {
      throw new IOException("the server masked a frame");
    }
    if (length > 16 * 1024 * 1024) {
      throw new IOException("a frame of " + length + " bytes from the server");
    }
    return new Frame(first & 0x0f, in.readNBytes((int) length));
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the server closed the connection inside a frame");
    }
    return b;
  }

  /** Reads frames until a data frame arrives (answering nothing); a close frame is returned too. */
  public Frame readMessage() throws IOException {
    while (true) {
      Frame frame = read();
      if (frame.opcode() == TEXT || frame.opcode() == BINARY || frame.opcode() == CLOSE) {
        return frame;
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
