package org.kloaka.local.ttn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.kloaka.core.Explain;
import org.kloaka.local.StartupException;

/**
 * The Things Stack API key (MQTT password and Storage Integration bearer token), read from a file
 * only its owner can read. Never logged: {@link #toString()} names the file only.
 */
public final class TtnKey {

  private final Path file;
  private final char[] value;

  private TtnKey(Path file, char[] value) {
    this.file = file;
    this.value = value;
  }

  /**
   * Reads the key: the file's first line, stripped.
   *
   * @throws StartupException when the file is readable by group or others, unreadable or empty
   */
  public static TtnKey read(Path file) {
    try {
      if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> others = EnumSet.copyOf(permissions);
        others.removeIf(p -> p.name().startsWith("OWNER_"));
        if (!others.isEmpty()) {
          throw new StartupException(
              "the TTN key file "
                  + file
                  + " can be read by other users ("
                  + PosixFilePermissions.toString(permissions)
                  + "): run  chmod 600 "
                  + file);
        }
      }
      String line =
          Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
      if (line.isEmpty()) {
        throw new StartupException(
            "the TTN key file " + file + " is empty: put the API key (NNSXS.…) on its first line");
      }
      return new TtnKey(file, line.toCharArray());
    } catch (IOException e) {
      throw new StartupException("cannot read the TTN key file " + file + ": " + Explain.io(e), e);
    }
  }

  /** The key, for the MQTT password. */
  char[] password() {
    return value.clone();
  }

  /** The key, for an {@code Authorization: Bearer} header. */
  String bearer() {
    return new String(value);
  }

  @Override
  public String toString() {
    return "TTN API key from " + file;
  }
}
