package org.kloaka.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * {@code shared} is read by the backend, the Lambdas and the console: it may use the JDK's
 * language, collections, time, numbers and text, in-memory streams ({@code java.io}, for Jackson's
 * API), Jackson and itself — an allow-list, so AWS, JavaFX, MQTT, files, sockets or SQL fail the
 * build — so that each of them can carry it (docs/decisions/016-core-without-io.md).
 */
class SharedDependencyRulesTest {

  static final ArchRule ONLY_JDK_AND_JACKSON =
      classes()
          .that()
          .resideInAPackage("org.kloaka..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(
                      "java.lang..",
                      "java.util..",
                      "java.time..",
                      "java.math..",
                      "java.nio",
                      "java.nio.charset..",
                      "java.io",
                      "com.fasterxml.jackson..",
                      "org.kloaka..")
                  .as("the JDK's lang/util/time/math/text and java.io, Jackson, and shared itself"))
          .because("shared is carried by the backend, the Lambdas and the console alike");

  @Test
  void sharedDependsOnlyOnTheJdkAndJackson() {
    JavaClasses shared =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.kloaka");

    assertThat(shared).as("shared's main classes were found").isNotEmpty();
    ONLY_JDK_AND_JACKSON.check(shared);
  }

  @Test
  void theRuleCatchesAClassThatUsesAnythingElse() {
    JavaClasses offender = new ClassFileImporter().importClasses(UsesAssertj.class);

    assertThatThrownBy(() -> ONLY_JDK_AND_JACKSON.check(offender))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("org.assertj.core.api.Assertions");
  }

  @Test
  void theRuleCatchesAClassThatReadsFilesOrOpensSockets() {
    JavaClasses offender = new ClassFileImporter().importClasses(DoesIo.class);

    assertThatThrownBy(() -> ONLY_JDK_AND_JACKSON.check(offender))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.nio.file.Path")
        .hasMessageContaining("java.net.Socket")
        .hasMessageContaining("java.sql.Connection");
  }

  /** Breaks the rule on purpose with the JDK's own I/O. */
  static final class DoesIo {
    java.nio.file.Path file;
    java.net.Socket socket;
    java.sql.Connection database;
  }

  /** Breaks the rule on purpose (it lives in the tests, which the real check leaves out). */
  static final class UsesAssertj {
    void fail() {
      Assertions.fail("never called");
    }
  }
}
