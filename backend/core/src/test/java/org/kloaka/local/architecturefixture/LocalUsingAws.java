package org.kloaka.local.architecturefixture;

import org.kloaka.aws.architecturefixture.AwsUsingLocal;

/**
 * Breaks the local-runtime rule on purpose, so {@code DependencyRulesTest} can prove the rule
 * fails. It lives in the tests, which the real check leaves out; never call it.
 */
public final class LocalUsingAws {
  AwsUsingLocal aws;
}
