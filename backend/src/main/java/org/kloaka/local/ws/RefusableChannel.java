package org.kloaka.local.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/**
 * A connection's socket as Java-WebSocket writes to it, with one extra power: answering a refused
 * handshake with an HTTP response of our own.
 *
 * <p>Java-WebSocket 1.6.0 answers every handshake refused by {@code
 * onWebsocketHandshakeReceivedAsServer} with {@code 404 WebSocket Upgrade Failure} (upstream issue
 * #1423), but CONTRACT §5 wants 401 for a bad token. Once {@link #answerWith} is called, the next
 * writes send that response instead of what the library queued. Once it is out, the output is shut
 * down: the library itself never closes a connection whose handshake it refused (it waits for the
 * peer), so the peer is told there is nothing more and the server sees it close.
 */
final class RefusableChannel implements ByteChannel {

  private final SocketChannel socket;
  private volatile ByteBuffer answer;

  RefusableChannel(SocketChannel socket) {
    this.socket = socket;
  }

  /** From now on, {@code response} is all the peer will receive. */
  void answerWith(byte[] response) {
    answer = ByteBuffer.wrap(response);
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
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
