package org.kloaka.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
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
 * {@code shared} is read by the backend, the Lambdas and the console: it may use the JDK and
 * Jackson, and nothing else (no AWS, JavaFX, MQTT, nor the JDK's own {@code java.sql}), so that
 * each of them can carry it.
 */
class SharedDependencyRulesTest {

  static final ArchRule ONLY_JDK_AND_JACKSON =
      classes()
          .that()
          .resideInAPackage("org.kloaka..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage("java..", "com.fasterxml.jackson..", "org.kloaka..")
                  .and(not(resideInAPackage("java.sql.."))))
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

  /** Breaks the rule on purpose (it lives in the tests, which the real check leaves out). */
  static final class UsesAssertj {
    void fail() {
      Assertions.fail("never called");
    }
  }
}
