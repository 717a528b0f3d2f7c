package org.kloaka.aws.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import org.kloaka.api.Json;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.endpoint.AwsClientEndpointProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Reads one SSM parameter with a single signed {@code AmazonSSM.GetParameter} call.
 *
 * <p>Why not the SDK's {@code SsmClient}: its model classes cover all of SSM and add 5 MB to the
 * Lambda jar (19 MB unpacked) for this one call. This uses the SDK's own SigV4 signer, credentials
 * chain and HTTP client, so only the request is hand-made; the JSON is written with Jackson.
 */
public final class SsmParameterReader {

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final URI endpoint;
  private final ObjectMapper mapper = Json.newMapper();

  public SsmParameterReader(
      SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
    this.http = http;
    this.credentials = credentials;
    this.region = region;
    this.endpoint = endpoint;
  }

  /**
   * SSM's endpoint, resolved as the SDK resolves it for its own clients (the DynamoDB ones
   * included): the system property {@code aws.endpointUrlSsm}, then {@code aws.endpointUrl}, then
   * the environment variable {@code AWS_ENDPOINT_URL_SSM}, then {@code AWS_ENDPOINT_URL}, then the
   * shared config file's {@code ssm.endpoint_url} / {@code endpoint_url}, else the regional default
   * (e.g. {@code https://ssm.eu-south-1.amazonaws.com}). So an emulator, a VPC or a FIPS endpoint
   * is configured the same way for every client of a function.
   */
  public static URI endpointFor(Region region) {
    return AwsClientEndpointProvider.builder()
        .serviceEndpointOverrideEnvironmentVariable("AWS_ENDPOINT_URL_SSM")
        .serviceEndpointOverrideSystemProperty("aws.endpointUrlSsm")
        .serviceProfileProperty("ssm")
        .serviceEndpointPrefix("ssm")
        .defaultProtocol("https")
        .region(region)
        .build()
        .clientEndpoint();
  }

  /**
   * The decrypted value of {@code name}.
   *
   * @throws IllegalStateException naming the parameter and SSM's error (e.g. {@code
   *     ParameterNotFound}, {@code AccessDeniedException}) when it cannot be read
   */
  public String decrypted(String name) {
    ObjectNode body = mapper.createObjectNode().put("Name", name).put("WithDecryption", true);
    byte[] bytes = write(body);
    SdkHttpFullRequest request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("X-Amz-Target", "AmazonSSM.GetParameter")
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "ssm")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(null))
                      .build())
              .call();
      JsonNode answer = read(response);
      int status = response.httpResponse().statusCode();
      if (status != 200) {
        throw new IllegalStateException(
            "SSM GetParameter "
                + name
                + " answered "
                + status
                + " "
                + answer.path("__type").asText("")
                + ": "
                + answer.path("message").asText(answer.path("Message").asText("")));
      }
      JsonNode value = answer.path("Parameter").path("Value");
      if (!value.isTextual()) {
        throw new IllegalStateException("SSM GetParameter " + name + " answered no value");
      }
      return value.textValue();
    } catch (IOException e) {
      throw new UncheckedIOException("SSM GetParameter " + name + " failed", e);
    }
  }

  private JsonNode read(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return mapper.createObjectNode();
    }
    try (InputStream in = response.responseBody().get()) {
      byte[] bytes = in.readAllBytes();
      try {
        JsonNode node = mapper.readTree(bytes);
        return node == null ? mapper.createObjectNode() : node;
      } catch (IOException notJson) {
        return mapper.createObjectNode().put("message", "(not JSON, " + bytes.length + " bytes)");
      }
    }
  }

  private byte[] write(ObjectNode body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
