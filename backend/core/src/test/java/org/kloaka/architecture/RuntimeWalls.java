package org.kloaka.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The two runtimes' walls (local and AWS know nothing of each other), for the rule tests in the
 * local and AWS modules. In the core's test jar with the fixtures those tests check against.
 */
public final class RuntimeWalls {

  private RuntimeWalls() {}

  /** No class in {@code runtime..} depends on a class in {@code other..}. */
  public static ArchRule knowsNothingOf(String runtime, String other, String because) {
    return noClasses()
        .that()
        .resideInAPackage(runtime + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(other + "..")
        .because(because)
        .allowEmptyShould(true);
  }

  /**
   * The main classes of this module under {@code pkg}: at least one, so a rule checks something.
   */
  public static JavaClasses mainClassesIn(String pkg) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(pkg);
    assertThat(classes).as(pkg + " classes found").isNotEmpty();
    return classes;
  }

  public static JavaClasses fixture(Class<?> offender) {
    return new ClassFileImporter().importClasses(offender);
  }
}
