package org.kloaka.aws.architecturefixture;

import org.kloaka.local.architecturefixture.LocalUsingAws;

/**
 * Breaks the AWS rule on purpose, so {@code DependencyRulesTest} can prove the rule fails. It lives
 * in the tests, which the real check leaves out; never call it.
 */
public final class AwsUsingLocal {
  LocalUsingAws local;
}
