package org.kloaka.aws.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The functions serverless.yml deploys, read from the file itself so the test never repeats a
 * handler string or a variable: each function's handler, memory, SnapStart setting and environment
 * (the provider's merged with the function's), with the framework's variables ({@code
 * ${self:service}}, {@code ${sls:stage}}, {@code ${param:…}}) and CloudFormation {@code !Ref}s to
 * the template's own tables and parameters resolved for one stage. A value that names
 * infrastructure outside the template (the WebSocket API's URL) must be supplied by the caller; an
 * unresolvable one fails, so a new variable cannot slip past the test.
 */
final class ServerlessFunctions {

  /** One function as Lambda would run it. */
  record Function(
      String name,
      String handler,
      Map<String, String> environment,
      int memoryMb,
      boolean snapStart) {

    /** The handler's class, as the runtime reads it: the part before {@code ::}. */
    String handlerClass() {
      int colons = handler.indexOf("::");
      return colons < 0 ? handler : handler.substring(0, colons);
    }
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  private final Map<String, Object> root;
  private final String stage;
  private final String region;

  private ServerlessFunctions(Map<String, Object> root, String stage, String region) {
    this.root = root;
    this.stage = stage;
    this.region = region;
  }

  static ServerlessFunctions read(Path file, String stage, String region) throws IOException {
    return parse(Files.readString(file), stage, region);
  }

  static ServerlessFunctions parse(String yaml, String stage, String region) {
    Map<String, Object> root = new Yaml(new CloudFormationTags()).load(yaml);
    return new ServerlessFunctions(root, stage, region);
  }

  /** {@code package.artifact}: the jar every function runs, relative to the file's folder. */
  String artifact() {
    return text(map(root, "package").get("artifact"), "package.artifact");
  }

  /**
   * Every function, in the file's order.
   *
   * @param supplied values for variables that name infrastructure outside the template
   * @throws IllegalStateException naming every variable that could not be resolved
   */
  List<Function> functions(Map<String, String> supplied) {
    Map<String, Object> provider = map(root, "provider");
    List<Function> functions = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    for (Map.Entry<String, Object> entry : map(root, "functions").entrySet()) {
      String name = entry.getKey();
      @SuppressWarnings("unchecked")
      Map<String, Object> function = (Map<String, Object>) entry.getValue();
      Map<String, Object> variables = new LinkedHashMap<>(map(provider, "environment"));
      variables.putAll(map(function, "environment"));
      Map<String, String> environment = new LinkedHashMap<>();
      variables.forEach(
          (variable, value) -> {
            String resolved =
                supplied.containsKey(variable) ? supplied.get(variable) : resolve(value);
            if (resolved == null) {
              unresolved.add(name + "." + variable + " = " + value);
            } else {
              environment.put(variable, resolved);
            }
          });
      Object memory =
          function.getOrDefault("memorySize", provider.getOrDefault("memorySize", 1024));
      functions.add(
          new Function(
              name,
              text(function.get("handler"), "functions." + name + ".handler"),
              environment,
              Integer.parseInt(memory.toString()),
              Boolean.TRUE.equals(function.get("snapStart"))));
    }
    if (!unresolved.isEmpty()) {
      throw new IllegalStateException(
          "serverless.yml sets variables this test cannot resolve; supply them: " + unresolved);
    }
    return functions;
  }

  /**
   * What would fail before any code runs: a handler whose class is not in the jar.
   *
   * @return one line per problem, empty when every handler's class is there
   */
  static List<String> missingHandlerClasses(List<Function> functions, Path jar) throws IOException {
    List<String> problems = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Function function : functions) {
        String entry = function.handlerClass().replace('.', '/') + ".class";
        if (zip.getEntry(entry) == null) {
          problems.add(
              function.name()
                  + ": handler "
                  + function.handler()
                  + " names a class that is not in "
                  + jar.getFileName());
        }
      }
    }
    return problems;
  }

  /** A value as Lambda would see it, or null when it names something outside the template. */
  private String resolve(Object value) {
    if (value instanceof String text) {
      return substitute(text);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> intrinsic
        && intrinsic.size() == 1
        && intrinsic.get("Ref") != null) {
      String logicalId = intrinsic.get("Ref").toString();
      Map<String, Object> resources = map(map(root, "resources"), "Resources");
      Map<String, Object> parameters = map(map(root, "resources"), "Parameters");
      if (resources.get(logicalId) instanceof Map<?, ?> resource
          && "AWS::DynamoDB::Table".equals(resource.get("Type"))
          && resource.get("Properties") instanceof Map<?, ?> properties) {
        return resolve(properties.get("TableName"));
      }
      if (resources.get(logicalId) instanceof Map<?, ?> resource
          && "AWS::SNS::Topic".equals(resource.get("Type"))
          && resource.get("Properties") instanceof Map<?, ?> properties) {
        // A topic's Ref is its ARN; moto's account is 123456789012.
        String name = resolve(properties.get("TopicName"));
        return name == null ? null : "arn:aws:sns:" + region + ":123456789012:" + name;
      }
      if (parameters.get(logicalId) instanceof Map<?, ?> parameter) {
        return resolve(parameter.get("Default"));
      }
    }
    return null;
  }

  private String substitute(String text) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = variable(matcher.group(1).trim());
      if (replacement == null) {
        return null;
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String variable(String expression) {
    if (expression.equals("self:service")) {
      return text(root.get("service"), "service");
    }
    if (expression.equals("sls:stage")) {
      return stage;
    }
    if (expression.startsWith("opt:region")) {
      return region;
    }
    if (expression.startsWith("param:")) {
      Object value = map(map(root, "params"), "default").get(expression.substring(6));
      return value == null ? null : resolve(value);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
  }

  private static String text(Object value, String where) {
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalStateException("serverless.yml has no " + where);
    }
    return text;
  }

  /**
   * CloudFormation's short forms as their long forms, as the framework writes them into the
   * template: {@code !Ref X} → {@code {Ref: X}}, {@code !GetAtt A.B} → {@code {Fn::GetAtt: [A,
   * B]}}, {@code !Join […]} → {@code {Fn::Join: […]}}.
   */
  private static final class CloudFormationTags extends SafeConstructor {

    CloudFormationTags() {
      super(new LoaderOptions());
      yamlMultiConstructors.put(
          "!",
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              String tag = node.getTag().getValue().substring(1);
              Object value;
              if (node instanceof ScalarNode scalar) {
                value = constructScalar(scalar);
              } else if (node instanceof SequenceNode sequence) {
                value = constructSequence(sequence);
              } else {
                value = constructMapping((MappingNode) node);
              }
              if (tag.equals("Ref")) {
                return Map.of("Ref", value);
              }
              if (tag.equals("GetAtt") && value instanceof String dotted) {
                return Map.of("Fn::GetAtt", List.of(dotted.split("\\.", 2)));
              }
              return Map.of("Fn::" + tag, value);
            }
          });
    }
  }
}
