package org.kloaka.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.kloaka.core.network.Network;
import org.kloaka.network.NetworkException;
import org.kloaka.network.NetworkJson;

/**
 * Reads the local runtime's network file ({@code --network FILE}, docs/network.md) from disk:
 * parsed by {@link NetworkJson}, validated by the core's {@link Network}. Every failure is a {@link
 * NetworkException} whose message names the file, what is wrong and where.
 */
public final class NetworkFiles {

  /** Far above any real network; keeps a wrong path (a disk image…) from being read into memory. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  private NetworkFiles() {}

  /**
   * Reads and validates a network file.
   *
   * @throws NetworkException when the file is missing, unreadable, not JSON, of the wrong shape or
   *     invalid; the message is meant for the person who wrote the file
   */
  public static Network read(Path file) throws NetworkException {
    String headline = "network file " + file;
    try {
      return Network.of(NetworkJson.parse(headline, load(headline, file)));
    } catch (NetworkException e) {
      throw e.headline().equals(headline) ? e : e.withHeadline(headline + " is invalid");
    }
  }

  private static byte[] load(String headline, Path file) throws NetworkException {
    try {
      if (Files.isDirectory(file)) {
        throw new NetworkException(headline, "is a directory, not a file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new NetworkException(
            headline, "is " + size + " bytes; a network file is at most " + MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NetworkException(headline, "not found");
    } catch (AccessDeniedException e) {
      throw new NetworkException(headline, "cannot be read: permission denied");
    } catch (IOException e) {
      throw new NetworkException(headline, "cannot be read: " + Explain.io(e));
    }
  }
}
