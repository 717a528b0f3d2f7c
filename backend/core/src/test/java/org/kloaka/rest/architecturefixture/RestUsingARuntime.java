package org.kloaka.rest.architecturefixture;

import java.net.Socket;
import java.nio.file.Path;
import org.kloaka.local.architecturefixture.LocalUsingAws;

/**
 * Breaks the REST package's rule on purpose, so {@code DependencyRulesTest} can prove the rule
 * fails. It lives in the tests, which the real check leaves out; never call it.
 */
public final class RestUsingARuntime {
  Path file;
  Socket socket;
  LocalUsingAws local;
}
