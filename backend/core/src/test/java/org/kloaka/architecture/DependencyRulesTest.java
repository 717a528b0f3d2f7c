package org.kloaka.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kloaka.aws.architecturefixture.AwsUsingLocal;
import org.kloaka.core.architecturefixture.CoreUsingAdapters;
import org.kloaka.local.architecturefixture.LocalUsingAws;

/**
 * The hexagon's walls: the core knows no adapter and no technology. The two runtimes' walls (local
 * and AWS know nothing of each other) are checked in their own modules, {@code
 * LocalDependencyRulesTest} and {@code AwsDependencyRulesTest}; the fixtures live here, in the
 * core's test jar, so each module's tests can use them. Rules over packages that do not exist yet
 * pass ({@code allowEmptyShould}); the {@code *IsCaught} tests prove each rule fails on a class
 * that breaks it, so a misspelt package cannot make a rule pass forever.
 */
class DependencyRulesTest {

  static final ArchRule CORE_KNOWS_NO_ADAPTER_OR_TECHNOLOGY =
      noClasses()
          .that()
          .resideInAPackage("org.kloaka.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.kloaka.local..",
              "org.kloaka.aws..",
              "org.kloaka.console..",
              "software.amazon..",
              "com.amazonaws..",
              "java.sql..",
              "org.sqlite..",
              "io.moquette..",
              "com.hivemq..",
              "org.eclipse.paho..",
              "org.java_websocket..",
              "com.sun.net.httpserver..",
              "javafx..",
              "io.netty..",
              "picocli..")
          .because("the core runs unchanged in the local runtime and on AWS (STYLE.md: hexagonal)")
          .allowEmptyShould(true);

  private static JavaClasses backend;

  @BeforeAll
  static void importTheBackendsMainClasses() {
    backend =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.kloaka");
  }

  @Test
  void theCoreIsPresentSoItsRuleChecksSomething() {
    assertThat(backend.that(resideInAPackage("org.kloaka.core..")))
        .as("org.kloaka.core classes found")
        .isNotEmpty();
  }

  @Test
  void coreDependsOnNoAdapterAndNoTechnology() {
    CORE_KNOWS_NO_ADAPTER_OR_TECHNOLOGY.check(backend);
  }

  @Test
  void aCoreClassUsingAnAdapterOrATechnologyIsCaught() {
    assertThatThrownBy(
            () -> CORE_KNOWS_NO_ADAPTER_OR_TECHNOLOGY.check(fixture(CoreUsingAdapters.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.sql.Connection")
        .hasMessageContaining("com.sun.net.httpserver.HttpServer")
        .hasMessageContaining(LocalUsingAws.class.getName())
        .hasMessageContaining(AwsUsingLocal.class.getName());
  }

  private static JavaClasses fixture(Class<?> offender) {
    return new ClassFileImporter().importClasses(offender);
  }
}
