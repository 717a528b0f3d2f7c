package org.kloaka.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.stream.Collectors;
import org.kloaka.api.Json;

/**
 * Reads a notification file's JSON (docs/notifications.md) strictly: an unknown field (a typo such
 * as {@code escalations}) is an error, not silently ignored. It only parses; the core validates.
 */
public final class NotifyJson {

  private static final ObjectReader READER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build()
          .readerFor(NotifyDescription.class);

  private NotifyJson() {}

  /**
   * @param headline what the message starts with, e.g. {@code notification file /etc/k.json}
   */
  public static NotifyDescription parse(String headline, byte[] json) throws NotifyException {
    if (json.length == 0) {
      throw new NotifyException(headline + ": the file is empty");
    }
    try {
      NotifyDescription description = READER.readValue(json);
      if (description == null) {
        throw new NotifyException(headline + ": the file holds JSON null");
      }
      return description;
    } catch (UnrecognizedPropertyException e) {
      throw new NotifyException(
          headline
              + ": unknown field \""
              + e.getPropertyName()
              + "\" at "
              + path(e)
              + " (known fields there: "
              + e.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", "))
              + ")");
    } catch (JsonProcessingException e) {
      throw new NotifyException(headline + ": not a notification file: " + Json.explain(e));
    } catch (IOException e) {
      throw new NotifyException(headline + ": could not be read: " + e.getMessage());
    }
  }

  private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (var reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "the top level" : path.toString();
  }
}
