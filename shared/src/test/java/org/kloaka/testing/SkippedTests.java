package org.kloaka.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints every test that this build of a module skipped, with its reason, from Surefire's and
 * Failsafe's XML reports: Surefire's console counts skipped tests and may name them, but never says
 * why (the reason is only in the XML). The build runs it in each module's {@code verify} phase
 * (docs/decisions/014), so the reasons stand in the Maven output, one line each, starting with
 * {@code [skipped]}; nothing is printed when nothing was skipped.
 *
 * <p>Arguments: the module's build folder, and the build's start ({@code maven.build.timestamp}):
 * reports older than that are a previous build's and are left out.
 */
public final class SkippedTests {

  private SkippedTests() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    Instant since = args.length > 1 ? parseOrEpoch(args[1]) : Instant.EPOCH;
    for (String line : skipped(target, since)) {
      System.out.println("[skipped] " + line);
    }
  }

  /**
   * {@code Class.method: reason} of each skipped test in the reports written since {@code since}.
   */
  static List<String> skipped(Path target, Instant since) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    DocumentBuilder parser = factory.newDocumentBuilder();
    TreeSet<String> lines = new TreeSet<>();
    for (String folder : List.of("surefire-reports", "failsafe-reports")) {
      for (Path report : reports(target.resolve(folder), since)) {
        NodeList cases = parser.parse(report.toFile()).getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
          Element testCase = (Element) cases.item(i);
          NodeList skip = testCase.getElementsByTagName("skipped");
          if (skip.getLength() > 0) {
            lines.add(
                testCase.getAttribute("classname")
                    + "."
                    + testCase.getAttribute("name")
                    + ": "
                    + reason((Element) skip.item(0)));
          }
        }
      }
    }
    return new ArrayList<>(lines);
  }

  private static List<Path> reports(Path folder, Instant since) throws IOException {
    List<Path> reports = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return reports;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "TEST-*.xml")) {
      for (Path file : files) {
        if (!Files.getLastModifiedTime(file).toInstant().isBefore(since)) {
          reports.add(file);
        }
      }
    }
    return reports;
  }

  /** The first line of the skip's message, without the exception's class name. */
  static String reason(Element skip) {
    String message = skip.getAttribute("message");
    if (message.isBlank()) {
      message = skip.getTextContent();
    }
    String first = message == null ? "" : message.strip().lines().findFirst().orElse("");
    for (String noise : List.of("org.opentest4j.TestAbortedException: ", "Assumption failed: ")) {
      first = first.replace(noise, "");
    }
    return first.isBlank() ? "no reason given" : first;
  }

  private static Instant parseOrEpoch(String timestamp) {
    try {
      return Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
