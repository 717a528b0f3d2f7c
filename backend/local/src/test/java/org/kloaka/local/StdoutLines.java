package org.kloaka.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child process's stdout, line by line, read on a daemon thread so the child never blocks. */
public final class StdoutLines {

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Process process;

  private StdoutLines(Process process) {
    this.process = process;
  }

  public static StdoutLines of(Process process) {
    StdoutLines stdout = new StdoutLines(process);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(stdout.lines::add);
              } catch (IOException e) {
                stdout.lines.add("stdout read failed: " + e);
              }
            },
            "child-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    return stdout;
  }

  /** The next line, or null when none came within {@code seconds} or the process ended first. */
  public String next(int seconds) throws InterruptedException {
    for (int waited = 0; waited < seconds; waited++) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        return line;
      }
      if (!process.isAlive()) {
        return lines.poll(1, TimeUnit.SECONDS);
      }
    }
    return null;
  }
}
