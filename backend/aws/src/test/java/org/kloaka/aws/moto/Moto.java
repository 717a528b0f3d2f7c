package org.kloaka.aws.moto;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a test class against the shared {@link MotoServer}: reset before each test and the tables of
 * serverless.yml created, injected as a {@link MotoAws} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Moto.Extension.class)
public @interface Moto {

  final class Extension implements BeforeEachCallback, ParameterResolver {

    @Override
    public void beforeEach(ExtensionContext context) {
      MotoServer server = MotoServer.get(context);
      server.reset();
      store(context).put("aws", new MotoAws(server));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == MotoAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return aws(context);
    }

    /** The test's {@link MotoAws}, also for the callbacks of the test's other extensions. */
    public static MotoAws aws(ExtensionContext context) {
      MotoAws aws = store(context).get("aws", MotoAws.class);
      if (aws == null) {
        aws = new MotoAws(MotoServer.get(context));
        store(context).put("aws", aws);
      }
      return aws;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
      return context.getStore(ExtensionContext.Namespace.create(Moto.class));
    }
  }
}
