package org.kloaka.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kloaka.aws.architecturefixture.AwsUsingLocal;
import org.kloaka.core.architecturefixture.CoreUsingAdapters;
import org.kloaka.local.architecturefixture.LocalUsingAws;
import org.kloaka.network.NetworkDescription;
import org.kloaka.network.NetworkException;
import org.kloaka.rest.architecturefixture.RestUsingARuntime;

/**
 * The hexagon's walls, as allow-lists: the core ({@code org.kloaka.core..}: domain rules, use
 * cases, ports) may use only the JDK's language, collections, time, numbers and text, slf4j, and
 * the project's own model; the REST router shared by both deployments ({@code org.kloaka.rest..},
 * in this module beside the core) may add JSON and the core, but no file, socket or runtime
 * (docs/decisions/016-core-without-io.md). Anything not listed — HTTP, files, SQL, sockets,
 * Jackson, AWS, a new library — fails the build. The two runtimes' walls (local and AWS know
 * nothing of each other) are checked in their own modules, {@code LocalDependencyRulesTest} and
 * {@code AwsDependencyRulesTest}; the fixtures live here, in the core's test jar, so each module's
 * tests can use them. Rules over packages that do not exist yet pass ({@code allowEmptyShould});
 * the {@code *IsCaught} tests prove each rule fails on a class that breaks it, so a misspelt
 * package cannot make a rule pass forever.
 */
class DependencyRulesTest {

  /**
   * Of {@code org.kloaka.network}: the description the core validates (with its nested records) and
   * the exception it throws. By name, because when {@code shared} comes as a jar (as in {@code mvn
   * verify}) its classes are not imported, and {@code belongToAnyOf} cannot see that a class it
   * does not know is nested in {@code NetworkDescription}.
   */
  static final DescribedPredicate<JavaClass> NETWORK_DESCRIPTION =
      DescribedPredicate.describe(
          "NetworkDescription (and its records) or NetworkException",
          c ->
              c.getName().equals(NetworkException.class.getName())
                  || c.getName().equals(NetworkDescription.class.getName())
                  || c.getName().startsWith(NetworkDescription.class.getName() + "$"));

  /** Of {@code org.kloaka.notify}: the notification file's description and its exception. */
  static final DescribedPredicate<JavaClass> NOTIFY_DESCRIPTION =
      DescribedPredicate.describe(
          "NotifyDescription (and its records) or NotifyException",
          c ->
              c.getName().equals("org.kloaka.notify.NotifyException")
                  || c.getName().equals("org.kloaka.notify.NotifyDescription")
                  || c.getName().startsWith("org.kloaka.notify.NotifyDescription$"));

  /** What the core may depend on; everything else is a violation. */
  static final DescribedPredicate<JavaClass> CORE_MAY_USE =
      resideInAnyPackage(
              "java.lang..",
              "java.util..",
              "java.time..",
              "java.math..",
              "java.nio",
              "java.nio.charset..",
              "org.slf4j",
              "org.kloaka.core..",
              "org.kloaka.model..",
              "org.kloaka.ingest..")
          .or(NETWORK_DESCRIPTION)
          .or(NOTIFY_DESCRIPTION)
          .as("the JDK's lang/util/time/math/text, slf4j and Kloaka's own model");

  static final ArchRule CORE_USES_ONLY_ITS_ALLOW_LIST =
      classes()
          .that()
          .resideInAPackage("org.kloaka.core..")
          .should()
          .onlyDependOnClassesThat(CORE_MAY_USE)
          .because("the core runs unchanged in the local runtime and on AWS, and does no I/O")
          .allowEmptyShould(true);

  /** What the REST router may depend on: the core's plus JSON, the wire records and itself. */
  static final ArchRule REST_USES_ONLY_ITS_ALLOW_LIST =
      classes()
          .that()
          .resideInAPackage("org.kloaka.rest..")
          .should()
          .onlyDependOnClassesThat(
              CORE_MAY_USE
                  .or(
                      resideInAnyPackage(
                          "java.io",
                          "java.security",
                          "com.fasterxml.jackson..",
                          "org.kloaka.api..",
                          "org.kloaka.network..",
                          "org.kloaka.rest.."))
                  .as("the core's allow-list, JSON, Kloaka's wire records and itself"))
          .because(
              "both deployments route REST calls through it: it translates HTTP to use cases and"
                  + " does no I/O of its own")
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
  void theRestRouterIsPresentSoItsRuleChecksSomething() {
    assertThat(backend.that(resideInAPackage("org.kloaka.rest..")))
        .as("org.kloaka.rest classes found")
        .isNotEmpty();
  }

  @Test
  void coreDependsOnlyOnItsAllowList() {
    CORE_USES_ONLY_ITS_ALLOW_LIST.check(backend);
  }

  @Test
  void theRestRouterDependsOnlyOnItsAllowList() {
    REST_USES_ONLY_ITS_ALLOW_LIST.check(backend);
  }

  @Test
  void aCoreClassUsingAnAdapterOrATechnologyIsCaught() {
    assertThatThrownBy(() -> CORE_USES_ONLY_ITS_ALLOW_LIST.check(fixture(CoreUsingAdapters.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.sql.Connection")
        .hasMessageContaining("com.sun.net.httpserver.HttpServer")
        .hasMessageContaining("java.nio.file.Path")
        .hasMessageContaining("com.fasterxml.jackson.databind.ObjectMapper")
        .hasMessageContaining("org.kloaka.api.Push")
        .hasMessageContaining(RestUsingARuntime.class.getName())
        .hasMessageContaining(LocalUsingAws.class.getName())
        .hasMessageContaining(AwsUsingLocal.class.getName());
  }

  @Test
  void aRestClassDoingIoOrUsingARuntimeIsCaught() {
    assertThatThrownBy(() -> REST_USES_ONLY_ITS_ALLOW_LIST.check(fixture(RestUsingARuntime.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.nio.file.Path")
        .hasMessageContaining("java.net.Socket")
        .hasMessageContaining(LocalUsingAws.class.getName());
  }

  private static JavaClasses fixture(Class<?> offender) {
    return new ClassFileImporter().importClasses(offender);
  }
}
