package org.kloaka.aws.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tools the deployment checks need. A developer's machine may lack them: the test is then skipped
 * with a message saying what is missing; in CI ({@code KLOAKA_CI=1}, set by .ci/run) it fails.
 */
public final class Required {

  private Required() {}

  public static Path repoRoot() {
    String root = System.getProperty("kloaka.repoRoot");
    return root == null
        ? Path.of("../..").toAbsolutePath().normalize()
        : Path.of(root).toAbsolutePath().normalize();
  }

  public static Path file(Path path, String why) {
    if (!Files.exists(path)) {
      missing(path + " does not exist: " + why);
    }
    return path;
  }

  public static Path onPath(String tool, String why) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, tool);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    missing(tool + " is not on the PATH: " + why);
    return null;
  }

  private static void missing(String message) {
    if ("1".equals(System.getenv("KLOAKA_CI"))) {
      throw new IllegalStateException(message + " (CI requires it: KLOAKA_CI=1)");
    }
    Assumptions.abort(message);
  }
}
