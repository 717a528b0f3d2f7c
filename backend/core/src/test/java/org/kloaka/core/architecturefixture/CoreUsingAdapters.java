package org.kloaka.core.architecturefixture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.nio.file.Path;
import java.sql.Connection;
import org.kloaka.api.Push;
import org.kloaka.aws.architecturefixture.AwsUsingLocal;
import org.kloaka.local.architecturefixture.LocalUsingAws;
import org.kloaka.rest.architecturefixture.RestUsingARuntime;

/**
 * Breaks the core's dependency rule on purpose, so {@code DependencyRulesTest} can prove the rule
 * fails. It lives in the tests, which the real check leaves out; never call it.
 */
public final class CoreUsingAdapters {
  Connection database;
  HttpServer server;
  Path file;
  ObjectMapper json;
  Push wireFormat;
  LocalUsingAws local;
  AwsUsingLocal aws;
  RestUsingARuntime rest;
}
