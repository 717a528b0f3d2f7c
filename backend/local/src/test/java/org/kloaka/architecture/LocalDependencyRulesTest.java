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
 * The local runtime's wall: it knows nothing of AWS. The module does not depend on the AWS module,
 * so a violation would not even compile; this rule says why, and {@code
 * aLocalClassUsingAwsIsCaught} proves it fails on a class that breaks it (fixtures from the core's
 * test jar).
 */
class LocalDependencyRulesTest {

  static final ArchRule LOCAL_KNOWS_NOTHING_OF_AWS =
      knowsNothingOf(
          "org.kloaka.local",
          "org.kloaka.aws",
          "the local runtime and AWS are two adapters of the same core");

  @Test
  void localRuntimeDependsOnNothingOfAws() {
    LOCAL_KNOWS_NOTHING_OF_AWS.check(mainClassesIn("org.kloaka.local"));
  }

  @Test
  void aLocalClassUsingAwsIsCaught() {
    assertThatThrownBy(() -> LOCAL_KNOWS_NOTHING_OF_AWS.check(fixture(LocalUsingAws.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(AwsUsingLocal.class.getName());
  }
}
