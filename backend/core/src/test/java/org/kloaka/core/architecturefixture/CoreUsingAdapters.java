package org.kloaka.core.architecturefixture;

import com.sun.net.httpserver.HttpServer;
import java.sql.Connection;
import org.kloaka.aws.architecturefixture.AwsUsingLocal;
import org.kloaka.local.architecturefixture.LocalUsingAws;

/**
 * Breaks the core's dependency rule on purpose, so {@code DependencyRulesTest} can prove the rule
 * fails. It lives in the tests, which the real check leaves out; never call it.
 */
public final class CoreUsingAdapters {
  Connection database;
  HttpServer server;
  LocalUsingAws local;
  AwsUsingLocal aws;
}
