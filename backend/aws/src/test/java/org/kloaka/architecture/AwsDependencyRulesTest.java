package org.kloaka.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kloaka.architecture.RuntimeWalls.fixture;
import static org.kloaka.architecture.RuntimeWalls.knowsNothingOf;
import static org.kloaka.architecture.RuntimeWalls.mainClassesIn;

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
      knowsNothingOf(
          "org.kloaka.aws",
          "org.kloaka.local",
          "the Lambdas' jar must not carry the local runtime");

  @Test
  void awsDependsOnNothingOfTheLocalRuntime() {
    AWS_KNOWS_NOTHING_OF_LOCAL.check(mainClassesIn("org.kloaka.aws"));
  }

  @Test
  void anAwsClassUsingTheLocalRuntimeIsCaught() {
    assertThatThrownBy(() -> AWS_KNOWS_NOTHING_OF_LOCAL.check(fixture(AwsUsingLocal.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(LocalUsingAws.class.getName());
  }
}
