package org.kloaka.console.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.concurrent.Worker;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Line;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;
import javafx.util.Duration;
import org.kloaka.api.Json;
import org.kloaka.console.viewmodel.LineViewModel;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.console.viewmodel.SegmentVerdict;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.console.viewmodel.TubeRun;
import org.kloaka.model.SensorId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The map tab: Leaflet (bundled from its webjar, inlined into the page so that no network is
 * needed) in a WebView; sensors with coordinates and the segments between them in the line's
 * colours. Tiles come from a configurable URL; without network the vectors still show.
 */
public final class MapView extends StackPane {

  private static final Logger log = LoggerFactory.getLogger(MapView.class);
  private static final String LEAFLET = "/META-INF/resources/webjars/leaflet/1.9.4/dist/";

  private final LineViewModel line;
  private final Legend legend;
  private final String tileUrl;
  private final javafx.beans.property.ObjectProperty<Selection> selection;
  private final javafx.animation.PauseTransition resized =
      new javafx.animation.PauseTransition(Duration.millis(150));
  private final ObjectMapper json = Json.newMapper();
  private WebView web;
  private boolean ready;
  private boolean dirty = true;
  private int shown = -1;

  /**
   * Whether the map is on screen (its tab selected). The WebView is made the first time it is, and
   * the map is fed only while it is: WebKit and the JSON for 2,000 sensors cost the FX thread tens
   * of milliseconds a second, and a hidden map need not pay them (decision 029).
   */
  private final javafx.beans.property.BooleanProperty active =
      new javafx.beans.property.SimpleBooleanProperty(this, "active");

  /**
   * @param tileUrl a Leaflet tile URL template, or null/blank for no tiles
   */
  public MapView(
      LineViewModel line,
      Legend legend,
      String tileUrl,
      javafx.beans.property.ObjectProperty<Selection> selection) {
    this.line = line;
    this.selection = selection;
    this.legend = legend;
    this.tileUrl = tileUrl;
    getStyleClass().add("map-view");
    line.revision().addListener((o, was, now) -> dirty = true);
    selection.addListener((o, was, now) -> showSelection());
    resized.setOnFinished(e -> call("kloaka.resized"));
    widthProperty().addListener((o, was, now) -> resized.playFromStart());
    heightProperty().addListener((o, was, now) -> resized.playFromStart());
    Timeline refresh = new Timeline(new KeyFrame(Duration.seconds(1), e -> push(false)));
    refresh.setCycleCount(Timeline.INDEFINITE);
    active.addListener(
        (o, was, now) -> {
          if (now) {
            if (web == null) {
              createWebView();
            } else {
              push(false);
              showSelection();
            }
            refresh.play();
          } else {
            refresh.stop();
          }
        });
  }

  /** True while the map is on screen: see {@link #active}. */
  public javafx.beans.property.BooleanProperty active() {
    return active;
  }

  private void createWebView() {
    web = new WebView();
    getChildren().add(0, web);
    WebEngine engine = web.getEngine();
    engine.setOnAlert(e -> clicked(e.getData()));
    engine
        .getLoadWorker()
        .stateProperty()
        .addListener(
            (o, was, now) -> {
              if (now == Worker.State.SUCCEEDED) {
                ready = true;
                call(
                    "kloaka.setTiles",
                    tileUrl == null || tileUrl.isBlank() ? null : tileUrl,
                    "© OpenStreetMap contributors");
                push(true);
                showSelection();
                // Made while its tab was being shown: fit again once the page has its real size.
                resized.playFromStart();
              } else if (now == Worker.State.FAILED) {
                log.warn("the map page did not load", engine.getLoadWorker().getException());
              }
            });
    engine.loadContent(page());
  }

  /** How many sensors the map last showed (−1 before the page is ready). */
  public int shownSensors() {
    return shown;
  }

  /** The map's WebView, or null before the map was first shown. */
  public WebView webView() {
    return web;
  }

  private static String page() {
    try {
      String html = resource("/org/kloaka/console/view/map.html");
      return html.replace("/*LEAFLET_CSS*/", resource(LEAFLET + "leaflet.css"))
          .replace("/*LEAFLET_JS*/", resource(LEAFLET + "leaflet.js"));
    } catch (IOException e) {
      throw new IllegalStateException("the map page is missing from the console jar", e);
    }
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = MapView.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("not on the class path: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A click on the page: "kloaka:sensor:01" or "kloaka:pair:0102" selects it in the console. */
  private void clicked(String what) {
    if (what == null || !what.startsWith("kloaka:")) {
      return;
    }
    String[] parts = what.substring("kloaka:".length()).split(":", 2);
    if (parts.length != 2) {
      return;
    }
    if (parts[0].equals("sensor")) {
      SensorId.tryParse(parts[1]).ifPresent(id -> selection.set(new Selection.Sensor(id)));
    } else if (parts[0].equals("pair") && line.segment(parts[1]).isPresent()) {
      selection.set(new Selection.Pair(parts[1]));
    }
  }

  /**
   * Highlights the console's selection on the page, and pans to it. Not while the map is hidden: in
   * WebKit a pan with 2,000 sensors drawn costs 20–100 ms of the FX thread, and a click on the line
   * would wait for a map nobody sees (decision 039); the page catches up when its tab is shown.
   */
  private void showSelection() {
    if (!ready || !active.get()) {
      return;
    }
    Selection now = selection.get();
    Map<String, Object> what = new LinkedHashMap<>();
    if (now instanceof Selection.Sensor s) {
      what.put("sensor", s.id().toString());
    } else if (now instanceof Selection.Pair p) {
      what.put("pair", p.pairId());
    }
    call("kloaka.select", what.isEmpty() ? null : what);
  }

  /** What the page highlights, as JSON ({"pair":"0102"}), "" for nothing, null before ready. */
  public Object pageSelection() {
    return ready ? call("kloaka.selectedText") : null;
  }

  /** Clicks a sensor's or a pipe's mark on the page, as the operator's mouse does (for tests). */
  public void clickOnPage(String kind, String id) {
    call("kloaka.click", kind, id);
  }

  /** The note over the map ("Map tiles unavailable …"), or "". */
  public Object note() {
    return ready ? call("kloaka.noteText") : null;
  }

  /** The sizes of the clusters drawn now, as JSON ("[12,40]"; "[]" when none), for tests. */
  public Object clusterSizes() {
    return ready ? call("kloaka.clusterSizes") : null;
  }

  /** Whether the page was told of the web view's last size (it fits the whole pane). */
  public Object pageSize() {
    return ready ? call("kloaka.size") : null;
  }

  private void push(boolean fit) {
    if (!ready || !active.get() || (!dirty && !fit)) {
      return;
    }
    dirty = false;
    Map<String, Object> data = new LinkedHashMap<>();
    List<Map<String, Object>> sensors = new ArrayList<>();
    for (TubeRun tube : line.tubes()) {
      for (SensorNode node : tube.sensors()) {
        if (node.hasPosition()) {
          sensors.add(sensor(node));
        }
      }
    }
    List<Map<String, Object>> segments = new ArrayList<>();
    for (Segment segment : line.segments()) {
      if (segment.upstream().hasPosition() && segment.downstream().hasPosition()) {
        segments.add(segment(segment));
      }
    }
    data.put("sensors", sensors);
    data.put("segments", segments);
    data.put("labels", false);
    // Small dots for a city's network, so that 2,000 sensors are not one blob.
    data.put("radius", sensors.size() > 300 ? 4 : sensors.size() > 80 ? 6 : 8);
    data.put("fit", fit);
    Object answer = call("kloaka.update", data);
    shown = answer instanceof Number n ? n.intValue() : shown;
  }

  private Map<String, Object> sensor(SensorNode node) {
    Map<String, Object> p = new LinkedHashMap<>();
    Legend.NodeLook look =
        node.level() == null
            ? Legend.NodeLook.UNKNOWN
            : node.silent()
                ? Legend.NodeLook.STALE
                : switch (node.level()) {
                  case CORRECT -> Legend.NodeLook.CORRECT;
                  case LOW -> Legend.NodeLook.LOW;
                  case NO -> Legend.NodeLook.NO;
                };
    var circle = legend.node(look);
    p.put("id", node.id().toString());
    p.put("lat", node.lat());
    p.put("lon", node.lon());
    p.put("stroke", web(circle.getStroke()));
    p.put("fill", web(circle.getFill()));
    p.put(
        "fillOpacity",
        look == Legend.NodeLook.CORRECT ? 1.0 : look == Legend.NodeLook.LOW ? 0.5 : 0.0);
    p.put("dash", circle.getStrokeDashArray().isEmpty() ? null : "3 3");
    p.put("silent", look == Legend.NodeLook.STALE);
    String value = node.value() == null ? "no data" : node.level() + " " + node.value() + " %";
    p.put(
        "text",
        node.id()
            + (node.name() == null ? "" : " · " + node.name())
            + " — "
            + value
            + (look == Legend.NodeLook.STALE ? " (stale)" : ""));
    return p;
  }

  private Map<String, Object> segment(Segment segment) {
    SegmentVerdict verdict = segment.verdict();
    Line style = legend.segment(verdict);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("pair", segment.pairId());
    s.put("a", List.of(segment.upstream().lat(), segment.upstream().lon()));
    s.put("b", List.of(segment.downstream().lat(), segment.downstream().lon()));
    s.put("color", web(style.getStroke()));
    s.put("weight", style.getStrokeWidth());
    s.put(
        "dash",
        style.getStrokeDashArray().isEmpty()
            ? null
            : style.getStrokeDashArray().stream()
                .map(d -> Long.toString(Math.round(d)))
                .reduce((a, b) -> a + " " + b)
                .orElse(null));
    boolean fault =
        verdict == SegmentVerdict.OBSTRUCTION
            || verdict == SegmentVerdict.PROBLEM
            || verdict == SegmentVerdict.SILENT;
    s.put("letter", fault ? verdict.letter() : null);
    s.put("text", segment.upstream().id() + " → " + segment.downstream().id() + ": " + verdict);
    return s;
  }

  private static String web(Paint paint) {
    if (paint instanceof Color c) {
      return String.format(
          java.util.Locale.ROOT,
          "#%02x%02x%02x",
          Math.round(c.getRed() * 255),
          Math.round(c.getGreen() * 255),
          Math.round(c.getBlue() * 255));
    }
    return "#999999";
  }

  /** Calls a page function with JSON arguments written by Jackson. */
  private Object call(String function, Object... arguments) {
    if (web == null) {
      return null; // not shown yet: the page is made, and fed, on first showing
    }
    try {
      StringBuilder script = new StringBuilder(function).append('(');
      for (int i = 0; i < arguments.length; i++) {
        script.append(i == 0 ? "" : ",").append(json.writeValueAsString(arguments[i]));
      }
      return web.getEngine().executeScript(script.append(')').toString());
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("the map could not be updated", e);
      return null;
    }
  }
}
