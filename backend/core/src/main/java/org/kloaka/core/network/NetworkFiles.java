package org.kloaka.core.network;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.kloaka.core.Explain;
import org.kloaka.network.NetworkDescription;

/**
 * Reads a network file (CONTRACT §6) strictly: a field the format does not know (a typo such as
 * {@code flows_to}) is an error, not silently ignored, and so is a number where an id string is
 * expected. Every failure is a {@link NetworkException} whose message names the file, what is wrong
 * and where.
 */
public final class NetworkFiles {

  /** Far above any real network; keeps a wrong path (a disk image…) from being read into memory. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  private static final ObjectReader READER = reader();

  private NetworkFiles() {}

  /**
   * Reads and validates a network file.
   *
   * @throws NetworkException when the file is missing, unreadable, not JSON, of the wrong shape or
   *     invalid; the message is meant for the person who wrote the file
   */
  public static Network read(Path file) throws NetworkException {
    String headline = "network file " + file;
    try {
      return Network.of(parse(headline, load(headline, file)));
    } catch (NetworkException e) {
      throw e.headline().equals(headline) ? e : e.withHeadline(headline + " is invalid");
    }
  }

  /** Parses network-file JSON (without validating it), as {@link #read} does. */
  public static NetworkDescription parse(String headline, byte[] json) throws NetworkException {
    if (json.length == 0) {
      throw new NetworkException(headline, "the file is empty; a network file is {\"tubes\": […]}");
    }
    try (JsonParser parser = READER.createParser(json)) {
      return parse(headline, parser);
    } catch (IOException e) {
      throw new NetworkException(headline, "could not be parsed: " + e.getMessage());
    }
  }

  private static NetworkDescription parse(String headline, JsonParser parser)
      throws NetworkException {
    try {
      NetworkDescription description = READER.readValue(parser);
      if (description == null) {
        throw new NetworkException(headline, "the file holds JSON null, not {\"tubes\": […]}");
      }
      return description;
    } catch (UnrecognizedPropertyException e) {
      throw new NetworkException(
          headline,
          "unknown field \""
              + e.getPropertyName()
              + "\""
              + where(e, 1)
              + " (known fields there: "
              + known(e.getKnownPropertyIds())
              + ")");
    } catch (MismatchedInputException e) {
      if (parser.currentToken() == null && e.getPath().isEmpty()) {
        throw new NetworkException(
            headline, "the file holds only white space; a network file is {\"tubes\": […]}");
      }
      throw new NetworkException(
          headline,
          "wrong kind of value"
              + where(e)
              + ": expected "
              + expected(e.getTargetType())
              + found(parser));
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException syntax) {
        throw notJson(headline, syntax);
      }
      if (e.getCause() instanceof NullPointerException) {
        // The records copy their lists with List.copyOf, which refuses null elements.
        throw new NetworkException(
            headline, "a list holds null" + where(e) + "; remove the null or write an object");
      }
      throw new NetworkException(headline, "unusable value" + where(e) + ": " + Explain.json(e));
    } catch (JsonProcessingException e) {
      throw notJson(headline, e);
    } catch (IOException e) {
      throw new NetworkException(headline, "could not be parsed: " + e.getMessage());
    }
  }

  private static NetworkException notJson(String headline, JsonProcessingException e) {
    return new NetworkException(
        headline,
        (e instanceof StreamConstraintsException ? "not usable JSON" : "not valid JSON")
            + at(e.getLocation())
            + ": "
            + Explain.json(e));
  }

  private static byte[] load(String headline, Path file) throws NetworkException {
    try {
      if (Files.isDirectory(file)) {
        throw new NetworkException(headline, "is a directory, not a file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new NetworkException(
            headline, "is " + size + " bytes; a network file is at most " + MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NetworkException(headline, "not found");
    } catch (AccessDeniedException e) {
      throw new NetworkException(headline, "cannot be read: permission denied");
    } catch (IOException e) {
      throw new NetworkException(headline, "cannot be read: " + Explain.io(e));
    }
  }

  private static ObjectReader reader() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    // An id written as a number (12 instead of "12") must not quietly become a string.
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return mapper.readerFor(NetworkDescription.class);
  }

  /** {@code " at tubes[0].sensors[2] (line 7, column 12)"}. */
  private static String where(JsonMappingException e) {
    return where(e, 0);
  }

  /**
   * @param dropLast how many innermost path elements to leave out (an unknown field's own name)
   */
  private static String where(JsonMappingException e, int dropLast) {
    StringBuilder path = new StringBuilder();
    List<JsonMappingException.Reference> refs = e.getPath();
    for (JsonMappingException.Reference ref :
        refs.subList(0, Math.max(0, refs.size() - dropLast))) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    String place = path.length() == 0 ? " at the top level" : " at " + path;
    return place + at(e.getLocation());
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another kind of value";
    }
    if (String.class.equals(type)) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list [ … ]";
    }
    return "an object { … }";
  }

  /** {@code ", found a number"}, from the token the parser stopped at. */
  private static String found(JsonParser parser) {
    JsonToken token = parser.currentToken();
    if (token == null) {
      return "";
    }
    String kind =
        switch (token) {
          case START_ARRAY, END_ARRAY -> "a list";
          case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
          case VALUE_STRING -> "a string";
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
          case VALUE_TRUE, VALUE_FALSE -> "a boolean";
          case VALUE_NULL -> "null";
          default -> null;
        };
    return kind == null ? "" : ", found " + kind;
  }

  private static String known(Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "none";
    }
    List<String> names = ids.stream().map(String::valueOf).sorted().toList();
    return names.stream().collect(Collectors.joining(", "));
  }
}
