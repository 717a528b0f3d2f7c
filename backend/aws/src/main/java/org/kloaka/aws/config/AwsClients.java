package org.kloaka.aws.config;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the SDK clients the Lambda runtime's handlers use: the url-connection HTTP client (small,
 * quick to start), the region Lambda sets in {@code AWS_REGION}, and the default credentials chain,
 * which after a SnapStart restore finds the container credentials Lambda provides. Built once per
 * execution environment, in the handlers' constructors (so they are in the SnapStart snapshot).
 */
public final class AwsClients {

  private AwsClients() {}

  public static DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder()
        .region(region())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** SNS for the notification topic; its endpoint resolves like every client's. */
  public static SnsClient sns() {
    return SnsClient.builder()
        .region(region())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public static SsmParameterReader ssm() {
    Region region = region();
    return new SsmParameterReader(
        UrlConnectionHttpClient.create(),
        DefaultCredentialsProvider.builder().build(),
        region,
        SsmParameterReader.endpointFor(region));
  }

  /**
   * @param endpoint the WebSocket API's management endpoint ({@code https://ID.execute-api.REGION.
   *     amazonaws.com/STAGE})
   */
  public static ApiGatewayManagementApiClient management(String endpoint) {
    return ApiGatewayManagementApiClient.builder()
        .region(region())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint))
        .build();
  }

  private static Region region() {
    String name = System.getenv("AWS_REGION");
    if (name == null || name.isBlank()) {
      throw new IllegalStateException("environment variable AWS_REGION is not set");
    }
    return Region.of(name);
  }
}
