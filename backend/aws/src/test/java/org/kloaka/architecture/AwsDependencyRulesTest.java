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
 * The AWS adapters' wall: they know nothing of the local runtime. The module does not depend on the
 * local one, so a violation would not even compile; this rule says why, and {@code
 * anAwsClassUsingTheLocalRuntimeIsCaught} proves it fails on a class that breaks it (fixtures from
 * the core's test jar).
 */
class AwsDependencyRulesTest {

  static final ArchRule AWS_KNOWS_NOTHING_OF_LOCAL =
      noClasses()
          .that()
          .resideInAPackage("org.kloaka.aws..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.kloaka.local..")
          .because("the Lambdas' jar must not carry the local runtime")
          .allowEmptyShould(true);

  @Test
  void awsDependsOnNothingOfTheLocalRuntime() {
    JavaClasses aws =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.kloaka.aws");
    assertThat(aws).as("org.kloaka.aws classes found").isNotEmpty();
    AWS_KNOWS_NOTHING_OF_LOCAL.check(aws);
  }

  @Test
  void anAwsClassUsingTheLocalRuntimeIsCaught() {
    assertThatThrownBy(
            () ->
                AWS_KNOWS_NOTHING_OF_LOCAL.check(
                    new ClassFileImporter().importClasses(AwsUsingLocal.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(LocalUsingAws.class.getName());
  }
}
