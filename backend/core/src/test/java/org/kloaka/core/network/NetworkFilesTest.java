package org.kloaka.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.model.SensorId;

class NetworkFilesTest {

  @TempDir Path dir;

  Path file(String content) throws IOException {
    Path file = dir.resolve("network.json");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  String failureOf(Path file) {
    NetworkException e =
        catchThrowableOfType(NetworkException.class, () -> NetworkFiles.read(file));
    assertThat(e).as("expected %s to be refused", file).isNotNull();
    return e.getMessage();
  }

  @Test
  void readsAValidFile() throws Exception {
    Network network = NetworkFiles.read(file(NetworkTest.JUNCTION));
    assertThat(network.previousOf(SensorId.parse("12")))
        .containsExactlyInAnyOrder(SensorId.parse("11"), SensorId.parse("03"));
    assertThat(network.file()).isPresent();
  }

  /** Found by NetworkFileFuzzTest: Jackson's message named StreamReadConstraints. */
  @Test
  void nestingBeyondJacksonsLimitIsRefusedInWordsForAPerson() throws Exception {
    Path file = file("{\"a\":".repeat(1001) + "1" + "}".repeat(1001));

    assertThat(failureOf(file))
        .isEqualTo(
            "network file "
                + file
                + ": not usable JSON: nested deeper than 1000 levels, or a"
                + " number or string far too long");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.json");
    assertThat(failureOf(missing)).isEqualTo("network file " + missing + ": not found");
  }

  @Test
  void aDirectoryIsNotAFile() {
    assertThat(failureOf(dir)).isEqualTo("network file " + dir + ": is a directory, not a file");
  }

  @Test
  void anUnreadableFileSaysSo() throws Exception {
    Path file = file(NetworkTest.JUNCTION);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(
        Files.isReadable(file), "file permissions do not apply to this user (root?)");
    assertThat(failureOf(file)).contains(file.toString(), "cannot be read: permission denied");
  }

  @Test
  void aHugeFileIsRefusedBeforeReading() throws Exception {
    Path file = dir.resolve("huge.json");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(NetworkFiles.MAX_BYTES + 1);
    }
    assertThat(failureOf(file)).contains("is " + (NetworkFiles.MAX_BYTES + 1) + " bytes");
  }

  @Test
  void aTypoListsTheFieldsKnownThere() throws Exception {
    Path file =
        file("{\"tubes\": [{\"id\": \"0\", \"sensors\": [{\"id\": \"01\"}], \"flows_to\": {}}]}");
    assertThat(failureOf(file))
        .endsWith("(known fields there: flows_into, id, name, sensors)")
        .contains("unknown field \"flows_to\" at tubes[0] (line 1, column ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          empty file       | ``                                      | the file is empty
          white space only | `
 `                                 | holds only white space
          JSON null        | null                                    | the file holds JSON null
          truncated        | {"tubes": [                             | not valid JSON (line 1, column 12)
          trailing data    | {"tubes": [{"id": "0", "sensors": [{"id": "01"}]}]} x | not valid JSON (line 1
          duplicate key    | {"tubes": [], "tubes": []}              | not valid JSON (line 1, column 22): Duplicate field 'tubes'
          typo flows_to    | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_to": {"tube": "1"}}]} | unknown field "flows_to" at tubes[0] (line 1
          top-level typo   | {"tube": []}                            | unknown field "tube" at the top level (line 1
          sensor typo      | {"tubes": [{"id": "0", "sensors": [{"id": "01", "latitude": 1}]}]} | unknown field "latitude" at tubes[0].sensors[0]
          number as id     | {"tubes": [{"id": 0, "sensors": [{"id": "01"}]}]} | wrong kind of value at tubes[0].id (line 1, column 19): expected a string, found a number
          string as lat    | {"tubes": [{"id": "0", "sensors": [{"id": "01", "lat": "1", "lon": 1}]}]} | wrong kind of value at tubes[0].sensors[0].lat (line 1, column 56): expected a number, found a string
          object as list   | {"tubes": {"id": "0"}}                  | wrong kind of value at tubes (line 1, column 11): expected a list [ … ], found an object
          array as root    | [1]                                     | wrong kind of value at the top level (line 1, column 1): expected an object { … }, found a list
          null in list     | {"tubes": [null]}                       | a list holds null at the top level
          null sensor      | {"tubes": [{"id": "0", "sensors": [null]}]} | a list holds null at tubes[0]
          invalid content  | {"tubes": [{"id": "0", "sensors": [{"id": "13"}]}]} | is invalid: tube "0" (tubes[0]), sensors[0]: sensor "13" is on tube 1
          """)
  void explainsWhatIsWrongAndWhere(String label, String content, String expected) throws Exception {
    Path file = file(content);
    String message = failureOf(file);
    assertThat(message).startsWith("network file " + file).contains(expected.strip());
    assertThat(message).doesNotContain("org.kloaka", "java.lang", "Source:");
  }
}
