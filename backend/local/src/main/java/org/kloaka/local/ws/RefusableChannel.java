package org.kloaka.local.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.kloaka.api.Json;
import org.kloaka.api.Responses;

/**
 * A connection's socket as Java-WebSocket writes to it, with one extra power: answering a refused
 * handshake with an HTTP response of our own.
 *
 * <p>Java-WebSocket 1.6.0 answers every handshake refused by {@code
 * onWebsocketHandshakeReceivedAsServer} with {@code 404 WebSocket Upgrade Failure} (upstream issue
 * #1423), but docs/websocket.md promises 401 for a bad token. Once {@link #answerWith} is called,
 * the next writes send that response instead of what the library queued. Once it is out, the output
 * is shut down: the library itself never closes a connection whose handshake it refused (it waits
 * for the peer), so the peer is told there is nothing more and the server sees it close.
 *
 * <p>The library's own refusals (a request that is no handshake it can read: its HTML {@code 404
 * WebSocket Upgrade Failure}) are replaced the same way, by a JSON 400.
 */
final class RefusableChannel implements ByteChannel {

  private static final ObjectWriter ERROR = Json.newMapper().writerFor(Responses.Error.class);
  private static final byte[] HTTP = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UPGRADED = "HTTP/1.1 101".getBytes(StandardCharsets.US_ASCII);

  private final SocketChannel socket;
  private volatile ByteBuffer answer;
  private boolean upgraded;

  RefusableChannel(SocketChannel socket) {
    this.socket = socket;
  }

  /** From now on, {@code response} is all the peer will receive. */
  void answerWith(byte[] response) {
    answer = ByteBuffer.wrap(response);
  }

  /** An HTTP response with a JSON {@code {"error": message}} body, closing the connection. */
  static byte[] jsonResponse(int status, String phrase, String message) {
    byte[] body;
    try {
      body = ERROR.writeValueAsBytes(new Responses.Error(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + phrase
            + "\r\nContent-Type: application/json; charset=utf-8\r\n"
            + (status == 401 ? "WWW-Authenticate: Bearer\r\n" : "")
            + "Content-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    if (answer == null && !upgraded) {
      // The library refuses a request it cannot read as a handshake (no key, another version,
      // plain HTTP) with its own HTML 404, or 500 if a callback failed: answer JSON instead.
      if (startsWith(source, UPGRADED)) {
        upgraded = true;
      } else if (startsWith(source, HTTP)) {
        answer =
            ByteBuffer.wrap(
                source.remaining() > 12 && source.get(source.position() + 9) == '5'
                    ? jsonResponse(500, "Internal Server Error", "internal error")
                    : jsonResponse(
                        400,
                        "Bad Request",
                        "not a WebSocket handshake this server accepts: connect with"
                            + " ws://host:port/?token=… (RFC 6455, version 13)"));
      }
    }
    ByteBuffer replacement = answer;
    if (replacement == null) {
      return socket.write(source);
    }
    if (replacement.hasRemaining()) {
      socket.write(replacement);
      if (replacement.hasRemaining()) {
        return 0; // the socket is full: the library retries when it is writable again
      }
      socket.shutdownOutput();
    }
    int swallowed = source.remaining();
    source.position(source.limit());
    return swallowed;
  }

  private static boolean startsWith(ByteBuffer buffer, byte[] prefix) {
    if (buffer.remaining() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buffer.get(buffer.position() + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    return socket.read(destination);
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
