package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kloaka.aws.dynamo.TimelineLoad;
import org.kloaka.aws.moto.HttpApiCall;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.core.app.FaultHistory;
import org.kloaka.model.ProblemEvent;
import org.kloaka.testing.TestClock;

/**
 * The insights' query times through the REST Lambda against moto at 2,000 sensors with a year of
 * problems (docs/decisions/030). moto is a slow single-threaded emulator: the figures show the
 * number of round trips and items read, not DynamoDB's latency. By hand: {@code ./mvnw -B -pl
 * backend/aws -am test -Dtest=InsightsMotoBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dkloaka.bench.insights=true}.
 */
@Moto
@EnabledIfSystemProperty(
    named = "kloaka.bench.insights",
    matches = "true",
    disabledReason =
        "a benchmark that prints figures; run it by hand with -Dkloaka.bench.insights=true")
class InsightsMotoBenchmark {

  static final String TOKEN = "insights-bench-token";
  static final long DAY = 86_400;
  static final long END = 1_795_860_000L;

  @Test
  void queryTimesAtTwoThousandSensorsWithAYearOfProblems(MotoAws aws) {
    long gapDays = Long.getLong("kloaka.bench.gapDays", 60);
    aws.putToken(TOKEN);
    long t0 = System.nanoTime();
    FaultHistory.Generated year =
        FaultHistory.generate(2026, 1_000, END - 365 * DAY, END, gapDays * DAY);
    TimelineLoad.put(aws.db(), MotoAws.TIMELINE, year.events());
    long bytes = 0;
    for (ProblemEvent e : year.events()) {
      bytes += TimelineLoad.bytesOf(e);
    }
    System.out.printf(
        Locale.ROOT,
        "insights benchmark (moto): 2000 sensors, %d occurrences, %d events (%.1f MB as items,"
            + " %d bytes each on average) in a year, loaded in %.1f s%n",
        year.occurrences().size(),
        year.events().size(),
        bytes / 1e6,
        bytes / year.events().size(),
        (System.nanoTime() - t0) / 1e9);
    RestHandler rest =
        new RestHandler(aws.db(), aws.ssm(), aws.settings(), TestClock.atEpochSecond(END));
    time(rest, "/insights/pairs", "days=30");
    time(rest, "/insights/pairs", "days=365");
    time(rest, "/insights/shift", "since=" + (END - 12 * 3600) + "&until=" + END);
    time(rest, "/insights/shift", "types=all&since=" + (END - 7 * DAY) + "&until=" + END);
  }

  static void time(RestHandler rest, String path, String query) {
    List<Double> ms = new ArrayList<>();
    int size = 0;
    for (int i = 0; i < 4; i++) {
      long start = System.nanoTime();
      APIGatewayV2HTTPResponse answer =
          rest.handleRequest(
              HttpApiCall.event("GET", path, query, TOKEN, null, false, Map.of()), null);
      ms.add((System.nanoTime() - start) / 1e6);
      assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
      size = answer.getBody().length();
    }
    ms.remove(0);
    ms.sort(null);
    System.out.printf(
        Locale.ROOT,
        "  GET %-60s median %8.1f ms  max %8.1f ms  %,9d bytes%n",
        path + "?" + query,
        ms.get(1),
        ms.get(2),
        size);
  }
}
