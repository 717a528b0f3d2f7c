package org.kloaka.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.kloaka.aws.architecturefixture.AwsUsingLocal;
import org.kloaka.local.architecturefixture.LocalUsingAws;

/**
 * The local runtime's wall: it knows nothing of AWS. The module does not depend on the AWS module,
 * so a violation would not even compile; this rule says why, and {@code
 * aLocalClassUsingAwsIsCaught} proves it fails on a class that breaks it (fixtures from the core's
 * test jar).
 */
class LocalDependencyRulesTest {

  static final ArchRule LOCAL_KNOWS_NOTHING_OF_AWS =
      noClasses()
          .that()
          .resideInAPackage("org.kloaka.local..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.kloaka.aws..")
          .because("the local runtime and AWS are two adapters of the same core")
          .allowEmptyShould(true);

  @Test
  void localRuntimeDependsOnNothingOfAws() {
    JavaClasses local =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.kloaka.local");
    assertThat(local).as("org.kloaka.local classes found").isNotEmpty();
    LOCAL_KNOWS_NOTHING_OF_AWS.check(local);
  }

  @Test
  void aLocalClassUsingAwsIsCaught() {
    assertThatThrownBy(
            () ->
                LOCAL_KNOWS_NOTHING_OF_AWS.check(
                    new ClassFileImporter().importClasses(LocalUsingAws.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(AwsUsingLocal.class.getName());
  }
}
