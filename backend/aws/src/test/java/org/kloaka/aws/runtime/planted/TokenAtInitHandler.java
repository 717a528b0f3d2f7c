package org.kloaka.aws.runtime.planted;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.util.Map;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.SsmApiToken;

/**
 * A planted mistake, never shipped: a handler that reads the API token in its constructor. With
 * SnapStart the value would be frozen into the snapshot and outlive a rotation; PackagedLambdaIT
 * puts this class beside the packaged jar and shows that its check catches it.
 */
public final class TokenAtInitHandler implements RequestHandler<Map<String, Object>, String> {

  private final String token;

  public TokenAtInitHandler() {
    Settings settings = Settings.fromEnvironment();
    this.token =
        new SsmApiToken(
                AwsClients.ssm(),
                settings.required(Settings.API_TOKEN_PARAM),
                Clock.systemUTC(),
                SsmApiToken.DEFAULT_CACHE)
            .current();
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    return token.isEmpty() ? "no token" : "a token";
  }
}
