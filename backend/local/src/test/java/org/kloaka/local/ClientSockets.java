package org.kloaka.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw client sockets to a server on 127.0.0.1, optionally from another local source address (on
 * Linux every 127.x.y.z is this machine, so 127.0.0.2 can stand for a second client address);
 * closes them all at the end.
 */
public final class ClientSockets implements AutoCloseable {

  private final List<Socket> open = new ArrayList<>();

  /** Connects to {@code port} on 127.0.0.1 from {@code from} (null: the system's choice). */
  public Socket connect(int port, InetAddress from) throws IOException {
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    open.add(socket);
    return socket;
  }

  /** The sockets connected so far, in order. */
  public List<Socket> all() {
    return open;
  }

  /** Whether a client socket can use {@code address} as its source here. */
  public static boolean canBind(InetAddress address) {
    try (Socket probe = new Socket()) {
      probe.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    for (Socket socket : open) {
      socket.close();
    }
  }
}
