package org.kloaka.local.http;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.kloaka.rest.ApiResponse;

/**
 * How many connections one server holds open: at most {@code perAddress} from one remote address
 * and {@code total} in all. A connection over either gets the contract's JSON ({@code 429} or
 * {@code 503}, see {@link Refusal}) and is closed; it never reaches the server's handlers. Shared
 * by the REST server and the WebSocket server (each has its own instance); the defaults and why are
 * in docs/decisions/017-connection-hardening.md.
 *
 * <p>With {@code loopbackExempt}, connections from this machine (127.0.0.0/8, {@code ::1}) are not
 * counted per address — they are all one address, the console and the operator's scripts, trusted
 * as the REST rate limit trusts them — but they do count towards {@code total}, which guards the
 * process's file descriptors and memory whoever connects. Thread-safe.
 */
public final class ConnectionLimit {

  private final int perAddress;
  private final int total;
  private final boolean loopbackExempt;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  /**
   * @param perAddress connections at once from one remote address; at least 1
   * @param total connections at once in all; at least 1
   */
  public ConnectionLimit(int perAddress, int total, boolean loopbackExempt) {
    if (perAddress < 1 || total < 1) {
      throw new IllegalArgumentException(
          "connection limits must be at least 1, were " + perAddress + " and " + total);
    }
    this.perAddress = perAddress;
    this.total = total;
    this.loopbackExempt = loopbackExempt;
  }

  /** No limit worth the name: for tests and tools. */
  public static ConnectionLimit unlimited() {
    return new ConnectionLimit(Integer.MAX_VALUE, Integer.MAX_VALUE, true);
  }

  /** Connections counted now (admitted and not yet closed). */
  public int open() {
    return open.get();
  }

  /**
   * Counts {@code channel} in, and out again when it closes.
   *
   * @return null when it may go on, else the answer it gets instead (429 or 503)
   */
  public ApiResponse admit(Channel channel) {
    InetAddress from =
        channel.remoteAddress() instanceof InetSocketAddress address
            ? address.getAddress()
            : InetAddress.getLoopbackAddress();
    if (open.incrementAndGet() > total) {
      open.decrementAndGet();
      return Answers.error(
          503,
          "the server has " + total + " connections open, its limit; try again later",
          Map.of("Retry-After", "5"));
    }
    boolean counted = !(loopbackExempt && from.isLoopbackAddress());
    if (counted) {
      AtomicInteger mine = byAddress.computeIfAbsent(from, address -> new AtomicInteger());
      if (mine.incrementAndGet() > perAddress) {
        release(from);
        open.decrementAndGet();
        return Answers.error(
            429,
            "too many connections from your address: at most "
                + perAddress
                + " at once; close some and try again",
            Map.of("Retry-After", "1"));
      }
    }
    channel
        .closeFuture()
        .addListener(
            closed -> {
              open.decrementAndGet();
              if (counted) {
                release(from);
              }
            });
    return null;
  }

  private void release(InetAddress from) {
    byAddress.computeIfPresent(
        from, (address, count) -> count.decrementAndGet() <= 0 ? null : count);
  }
}
