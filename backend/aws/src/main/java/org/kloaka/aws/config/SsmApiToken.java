package org.kloaka.aws.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.kloaka.core.api.TokenCheck;

/**
 * The API token, read from an SSM SecureString (CONTRACT §4: never from the repository). Read on
 * first use, never in a constructor: with SnapStart a value read during initialisation would be
 * frozen into the snapshot. Cached for {@code cacheFor}, so a rotated token takes effect within
 * that time without a redeploy. Thread-safe.
 */
public final class SsmApiToken {

  /** How long a read token is trusted before SSM is asked again. */
  public static final Duration DEFAULT_CACHE = Duration.ofMinutes(5);

  private final SsmParameterReader ssm;
  private final String parameterName;
  private final Clock clock;
  private final Duration cacheFor;

  private String token;
  private Instant readAt;

  public SsmApiToken(SsmParameterReader ssm, String parameterName, Clock clock, Duration cacheFor) {
    this.ssm = ssm;
    this.parameterName = parameterName;
    this.clock = clock;
    this.cacheFor = cacheFor;
  }

  /**
   * The current token.
   *
   * @throws IllegalStateException when the parameter is empty
   * @throws RuntimeException when SSM cannot be read; callers refuse the request then
   */
  /**
   * A check against the current token. It throws when the token cannot be read, which the REST
   * router turns into a 500 and {@code $connect} into a refusal: never an open door.
   */
  public TokenCheck check() {
    return presented -> TokenCheck.of(current()).accepts(presented);
  }

  public synchronized String current() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(readAt.plus(cacheFor)) || now.isBefore(readAt)) {
      String value = ssm.decrypted(parameterName);
      if (value == null || value.isEmpty()) {
        throw new IllegalStateException("SSM parameter " + parameterName + " is empty");
      }
      token = value;
      readAt = now;
    }
    return token;
  }
}
