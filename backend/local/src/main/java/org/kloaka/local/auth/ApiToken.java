package org.kloaka.local.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.kloaka.local.Explain;
import org.kloaka.local.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local API token (docs/api.md): from env {@value #ENV}, else from {@code <data>/api-token},
 * which the first start creates with 256 random bits (hex), readable by its owner only.
 *
 * <p>A token file that other users can read or write is refused, as ssh refuses a private key in
 * the same state: whoever reads it controls the API. {@link #toString()} never shows the token.
 */
public final class ApiToken {

  public static final String ENV = "KLOAKA_API_TOKEN";
  public static final String FILE_NAME = "api-token";
  static final int BITS = 256;

  /**
   * The shortest token {@value #ENV} may hold: 32 characters, 128 bits as hex (the token file's
   * holds 64). Anything shorter can be guessed or was typed by hand.
   */
  public static final int MIN_ENV_LENGTH = 32;

  private static final Logger log = LoggerFactory.getLogger(ApiToken.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final String value;
  private final Path file;

  private ApiToken(String value, Path file) {
    this.value = value;
    this.file = file;
  }

  /**
   * The token for a runtime whose data folder is {@code dataDir}.
   *
   * @throws StartupException when the env variable is blank or shorter than {@value
   *     #MIN_ENV_LENGTH} characters, or the file is empty, unreadable or readable by others
   */
  public static ApiToken resolve(Map<String, String> env, Path dataDir, SecureRandom random) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null) {
      if (fromEnv.isBlank()) {
        throw new StartupException(
            ENV
                + " is set but empty: give it a token, or unset it to use "
                + dataDir.resolve(FILE_NAME));
      }
      String token = fromEnv.strip();
      if (token.length() < MIN_ENV_LENGTH) {
        throw new StartupException(
            ENV
                + " holds "
                + token.length()
                + " characters, too short to protect the API: use at least "
                + MIN_ENV_LENGTH
                + " (e.g. openssl rand -hex 32), or unset it to use "
                + dataDir.resolve(FILE_NAME));
      }
      log.info("API token: from the environment ({})", ENV);
      return new ApiToken(token, null);
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (create(file, random)) {
        log.info("API token: created {} (owner read/write only)", file);
      } else {
        log.info("API token: read from {}", file);
      }
      return new ApiToken(read(file), file);
    } catch (IOException e) {
      throw new StartupException("cannot use the API token file " + file + ": " + Explain.io(e), e);
    }
  }

  /** Creates the file with a fresh token; false when it already exists. */
  private static boolean create(Path file, SecureRandom random) throws IOException {
    byte[] bits = new byte[BITS / 8];
    random.nextBytes(bits);
    byte[] content = (HexFormat.of().formatHex(bits) + "\n").getBytes(StandardCharsets.US_ASCII);
    boolean posix =
        Files.getFileStore(file.getParent())
            .supportsFileAttributeView(PosixFileAttributeView.class);
    try {
      if (posix) {
        // Created with its final mode in one step: never readable by others, not even briefly.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(file);
        log.warn("{} is on a file system without POSIX permissions: protect it yourself", file);
      }
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    return true;
  }

  private static String read(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> others = EnumSet.copyOf(permissions);
      others.removeAll(
          EnumSet.allOf(PosixFilePermission.class).stream()
              .filter(p -> p.name().startsWith("OWNER_"))
              .toList());
      if (!others.isEmpty()) {
        throw new StartupException(
            "the API token file "
                + file
                + " can be used by other users ("
                + PosixFilePermissions.toString(permissions)
                + "): run  chmod 600 "
                + file
                + "  (or delete it to have a new token made)");
      }
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new StartupException(
          "the API token file "
              + file
              + " is empty: put a token in it, or delete it to have one made");
    }
    return token;
  }

  /** The token itself: give it to clients, never to a log. */
  public String value() {
    return value;
  }

  /** The file the token came from, or {@code null} when it came from {@value #ENV}. */
  public Path file() {
    return file;
  }

  @Override
  public String toString() {
    return file == null ? "API token from " + ENV : "API token from " + file;
  }
}
