package org.kloaka.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kloaka.local.LocalRuntime;
import org.testfx.api.FxToolkit;

class DemoCleanupTest {

  @Test
  void theDemosTemporaryFolderWithItsTokenIsRemovedWhenTheSessionCloses() throws Exception {
    FxToolkit.registerPrimaryStage(); // the session reports to the FX thread
    ConsoleOptions options = new ConsoleOptions();
    options.demo = true;
    options.staleAfter = Duration.ofHours(1);
    ConsoleSession session = Embedded.start(options);
    Path folder;
    try {
      folder = session.owned(LocalRuntime.class).config().dataDir();
      assertThat(folder.getFileName().toString()).startsWith("kloaka-demo-");
      assertThat(folder).exists();
    } finally {
      session.close();
    }

    assertThat(Files.exists(folder)).as("removed on exit: " + folder).isFalse();
  }

  @Test
  void javaFxsNativeCacheGoesToTheTemporaryDirectoryUnlessChosen() {
    String before = System.getProperty("javafx.cachedir");
    try {
      System.clearProperty("javafx.cachedir");
      Launcher.keepJavaFxCacheOutOfHome();
      assertThat(System.getProperty("javafx.cachedir"))
          .startsWith(System.getProperty("java.io.tmpdir"))
          .contains("kloaka-openjfx-");

      System.setProperty("javafx.cachedir", "/chosen");
      Launcher.keepJavaFxCacheOutOfHome();
      assertThat(System.getProperty("javafx.cachedir")).isEqualTo("/chosen");
    } finally {
      if (before == null) {
        System.clearProperty("javafx.cachedir");
      } else {
        System.setProperty("javafx.cachedir", before);
      }
    }
  }
}
