package org.kloaka.console.view;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.Endpoints;
import org.kloaka.console.demo.DemoDevices;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.ShiftViewModel;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.testing.TestClock;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Not a test (Surefire skips it by name): the README's Hot spots and Shift screenshots. Ninety days
 * of faults on the demo network are driven through the real runtime with a forwarded clock —
 * readings through the pipeline, acknowledgements and resolutions by two operators over REST — and
 * the console then connects to it. Writes {@code docs/screenshots/console-hot-spots.png} and {@code
 * console-shift.png}; best under Xvfb for real fonts:
 *
 * <pre>
 * xvfb-run -a mvn -B -pl desktop -am test -Dtest=InsightsScreenshots -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class InsightsScreenshots {

  static final ObjectMapper JSON = Json.newMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  LocalRuntime runtime;
  ConsoleWindow window;

  @Test
  void takeTheHotSpotsAndShiftScreenshots() throws Exception {
    FxToolkit.registerPrimaryStage();
    long now = java.time.Instant.now().getEpochSecond();
    TestClock clock = TestClock.atEpochSecond(now - 90 * 86_400L);
    Path data = Files.createTempDirectory("kloaka-insights-screenshots-");
    Path network = Files.write(data.resolve("demo-network.json"), DemoDevices.networkBytes());
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(data.resolve("data"))
            .withPorts(0, 0, 0)
            .withNetworkFile(network)
            .withEnv(Map.of())
            .withoutMqtt()
            .withAlarms(Duration.ZERO, Duration.ZERO)
            .withClock(clock);
    runtime = LocalRuntime.start(config);
    Endpoints endpoints =
        new Endpoints(runtime.httpUri(), runtime.wsUri(), runtime.mqttUri(), runtime.token());
    ConsoleSession session =
        new ConsoleSession(
            endpoints,
            Platform::runLater,
            Clock.systemDefaultZone(),
            ZoneId.systemDefault(),
            Duration.ofHours(1),
            Duration.ofSeconds(20));
    session.own(runtime);
    try (session) {
      ninetyDays(clock, now);
      ConsoleViewModel console = session.viewModel();
      FxToolkit.setupFixture(
          () -> {
            window = new ConsoleWindow(console, null, 1440, 900);
            window.show(new Stage(), console, () -> {});
            session.start();
          });
      await().atMost(60, TimeUnit.SECONDS).until(() -> console.status().live().get());
      Path out = ConsoleScreenshots.OUT;
      Files.createDirectories(out);

      FxToolkit.setupFixture(
          () -> {
            window.insights().hotSpots().days().set(90);
            window.view().tabs().getSelectionModel().select(window.insights().hotSpotsTab());
          });
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  window.insights().hotSpots().rows().size() > 5
                      && window.insights().hotSpots().state().get().contains("90 days"));
      shoot(out.resolve("console-hot-spots.png"));

      FxToolkit.setupFixture(
          () -> {
            window.insights().shift().span().set(ShiftViewModel.Span.SINCE_YESTERDAY_6);
            window.view().tabs().getSelectionModel().select(window.insights().shiftTab());
          });
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> window.insights().shift().state().get().startsWith("updated"));
      shoot(out.resolve("console-shift.png"));
      FxToolkit.cleanupStages();
    }
  }

  /**
   * Incidents every 6–30 h until {@code end}, the low-numbered pairs of each tube more often: a
   * downstream sensor reads nearly empty below a full one, an operator acknowledges (mostly), the
   * flow recovers hours later and the operator resolves with a note.
   */
  void ninetyDays(TestClock clock, long end) throws Exception {
    JsonNode tubes = JSON.readTree(DemoDevices.networkBytes()).path("tubes");
    List<String[]> pairs = new ArrayList<>();
    List<String> sensors = new ArrayList<>();
    for (JsonNode tube : tubes) {
      JsonNode list = tube.path("sensors");
      for (int i = 0; i < list.size(); i++) {
        sensors.add(list.get(i).path("id").asText());
        if (i + 1 < list.size()) {
          pairs.add(
              new String[] {list.get(i).path("id").asText(), list.get(i + 1).path("id").asText()});
        }
      }
    }
    Map<String, String> tokens = Map.of("maria", operator("maria"), "luca", operator("luca"));
    String[] people = {"maria", "luca"};
    String[] notes = {
      "rodded, grease", "grate cleared", "roots cut back", "flushed", "debris removed"
    };
    everySensor(sensors, 90);
    Random random = new Random(14);
    while (clock.seconds() < end - 48 * 3600) {
      clock.forward(Duration.ofMinutes(360 + random.nextInt(1440)));
      String[] pair =
          pairs.get(Math.min(random.nextInt(pairs.size()), random.nextInt(pairs.size())));
      String who = people[random.nextInt(people.length)];
      reading(pair[0], 100);
      reading(pair[1], 8);
      clock.forward(Duration.ofMinutes(5 + random.nextInt(90)));
      if (random.nextInt(10) < 8) {
        for (String id : unresolved()) {
          call("PATCH", "/problems/" + id, "{\"acknowledged\": true}", tokens.get(who));
        }
      }
      clock.forward(Duration.ofMinutes(60 + random.nextInt(480)));
      reading(pair[0], 90);
      reading(pair[1], 90);
      clock.forward(Duration.ofMinutes(10 + random.nextInt(120)));
      for (String id : unresolved()) {
        String note = notes[random.nextInt(notes.length)];
        call(
            "PATCH",
            "/problems/" + id,
            "{\"problem_status\": \"RESOLVED\", \"note\": \"" + note + "\"}",
            tokens.get(who));
      }
    }
    // The last shift: one fault found and fixed by luca, two still open (one acknowledged and
    // commented on by maria).
    clock.set(end - 16 * 3600);
    reading("03", 100);
    reading("04", 12);
    clock.set(end - 15 * 3600 - 1200);
    call("PATCH", "/problems/0304", "{\"acknowledged\": true}", tokens.get("luca"));
    clock.set(end - 13 * 3600);
    reading("04", 90);
    reading("03", 90);
    clock.set(end - 12 * 3600 - 1500);
    for (String id : unresolved()) {
      call(
          "PATCH",
          "/problems/" + id,
          "{\"problem_status\": \"RESOLVED\", \"note\": \"grease plug removed\"}",
          tokens.get("luca"));
    }
    clock.set(end - 3 * 3600);
    reading("22", 100);
    reading("23", 5);
    clock.set(end - 2 * 3600);
    call("PATCH", "/problems/2223", "{\"acknowledged\": true}", tokens.get("maria"));
    call(
        "POST",
        "/problems/2223/comments",
        "{\"note\": \"Crew 3 on the way, ETA 40 min\"}",
        tokens.get("maria"));
    clock.set(end - 1800);
    reading("13", 100);
    reading("14", 10);
    clock.set(java.time.Instant.now().getEpochSecond());
    for (String id : sensors) {
      if (!id.equals("23") && !id.equals("14")) {
        reading(id, 90);
      }
    }
  }

  void everySensor(List<String> sensors, int filling) throws Exception {
    for (String id : sensors) {
      reading(id, filling);
    }
  }

  void reading(String id, int filling) throws Exception {
    runtime
        .pipeline()
        .submit(JSON.writeValueAsBytes(Map.of("id", id, "filling", filling)))
        .get(10, TimeUnit.SECONDS);
  }

  List<String> unresolved() throws Exception {
    List<String> ids = new ArrayList<>();
    JsonNode problems =
        JSON.readTree(call("GET", "/problems?status=UNRESOLVED", null, runtime.token()))
            .path("problems");
    problems.forEach(p -> ids.add(p.path("problem_id").asText()));
    return ids;
  }

  String operator(String name) throws Exception {
    String body = "{\"name\": \"" + name + "\", \"role\": \"operator\"}";
    return JSON.readTree(call("POST", "/operators", body, runtime.token())).path("token").asText();
  }

  String call(String method, String path, String body, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(runtime.httpUri() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + path + " → " + answer.statusCode() + answer.body());
    }
    return answer.body();
  }

  void shoot(Path file) throws Exception {
    WaitForAsyncUtils.waitForFxEvents();
    var image =
        WaitForAsyncUtils.asyncFx(() -> window.scene().snapshot(null)).get(20, TimeUnit.SECONDS);
    ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    System.out.println("wrote " + file.toAbsolutePath().normalize());
  }
}
