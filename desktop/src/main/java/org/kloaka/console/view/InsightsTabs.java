package org.kloaka.console.view;

import java.io.File;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.CsvExport;
import org.kloaka.console.viewmodel.DetailsViewModel;
import org.kloaka.console.viewmodel.HotSpotsViewModel;
import org.kloaka.console.viewmodel.ProblemsViewModel;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.console.viewmodel.ShiftViewModel;
import org.kloaka.console.viewmodel.StatusFilter;
import org.kloaka.model.PairInsights;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;

/**
 * What the console shows for a cleaning plan and a handover (docs/api.md, "Hot spots", "Shift",
 * "CSV"): the "Hot spots" and "Shift" tabs, and "Export…" on the problem list, the chart's history,
 * a pair's timeline, the rejects and both new tabs. Installed onto a {@link MainView} from outside,
 * through its tabs and a few hooks, so that the main window's own layout stays as it is.
 */
public final class InsightsTabs {

  /** How long after a problem changed the shown hot spots are read again (at most). */
  static final Duration REFRESH_AFTER = Duration.seconds(3);

  static final int MAX_ROWS = 10_000; // the backend's maximum per list (docs/api.md)

  private final MainView main;
  private final ConsoleViewModel console;
  private final HotSpotsViewModel hotSpots;
  private final ShiftViewModel shift;
  private final CsvExport export;
  private final HotSpotsView hotSpotsView;
  private final ShiftView shiftView;
  private final Tab hotSpotsTab;
  private final Tab shiftTab;

  public InsightsTabs(MainView main, ConsoleViewModel console) {
    this.main = main;
    this.console = console;
    var clock = console.problems().clock();
    hotSpots = new HotSpotsViewModel(console.backend(), Platform::runLater, clock, console.time());
    shift =
        new ShiftViewModel(
            console.backend(), Platform::runLater, clock, console.time(), this::pairText);
    Supplier<Window> owner = () -> main.getScene() == null ? null : main.getScene().getWindow();
    export =
        new CsvExport(
            console.backend(),
            Platform::runLater,
            console.status()::inform,
            console.status()::show,
            saveDialog(owner));

    hotSpotsView = new HotSpotsView(hotSpots, console.time(), this::open);
    hotSpotsView
        .bar()
        .getChildren()
        .add(
            exportButton(
                "export-hot-spots",
                "the hot spots",
                () -> {
                  int days = hotSpots.days().get();
                  export.exportRoutes(
                      "hot spots of the last " + days + " days",
                      List.of("/insights/pairs?days=" + days),
                      "hot-spots-" + days + "d-" + today() + ".csv");
                }));
    shiftView = new ShiftView(shift, this::open);
    shiftView
        .bar()
        .getChildren()
        .add(
            exportButton(
                "export-shift",
                "the events of the span shown",
                () -> {
                  Instant since = shift.loadedSince();
                  Instant until = shift.loadedUntil();
                  if (since != null) {
                    export.exportRoutes(
                        "the shift's events",
                        List.of(
                            "/insights/shift?since="
                                + since.getEpochSecond()
                                + "&until="
                                + until.getEpochSecond()),
                        "shift-" + today() + ".csv");
                  }
                }));
    hotSpotsTab = lazyTab("Hot spots", hotSpotsView);
    shiftTab = lazyTab("Shift", shiftView);
    hotSpots.active().bind(hotSpotsTab.selectedProperty());
    shift.active().bind(shiftTab.selectedProperty());

    // Live enough: a problem that opened, changed or was resolved re-reads the shown ranking,
    // once per burst of pushes (the first change starts the wait; the rest ride along).
    PauseTransition wait = new PauseTransition(REFRESH_AFTER);
    wait.setOnFinished(e -> hotSpots.problemsChanged());
    console
        .problems()
        .changes()
        .addListener(
            (o, was, now) -> {
              if (wait.getStatus() != javafx.animation.Animation.Status.RUNNING) {
                wait.playFromStart();
              }
            });

    main.problemsView()
        .addHeaderAction(
            exportButton(
                "export-problems",
                "the problems the list shows, with their timelines (its filters apply: clear them"
                    + " for every problem)",
                this::exportProblems));
    main.rejectsView()
        .addAction(
            exportButton(
                "export-rejects",
                "the rejected messages kept (up to " + MAX_ROWS + ")",
                () ->
                    export.exportRoutes(
                        "rejected messages",
                        List.of("/rejects?limit=" + MAX_ROWS),
                        "rejects-" + today() + ".csv")));
    DetailsViewModel details = console.details();
    Button history =
        exportButton(
            "export-history",
            "the chart's readings: its sensors, its range, every reading",
            this::exportHistory);
    history
        .disableProperty()
        .bind(
            Bindings.or(
                export.busy(),
                Bindings.createBooleanBinding(
                    () -> details.charted().get() == null || details.historyFrom().get() == null,
                    details.charted(),
                    details.historyFrom(),
                    details.mode())));
    Button timeline =
        exportButton(
            "export-timeline",
            "the pair's timeline, every occurrence",
            () -> {
              Problem problem = details.problem().get();
              if (problem != null) {
                export.exportRoutes(
                    "the timeline of " + problem.problemId(),
                    List.of("/problems/" + problem.problemId() + "/events?limit=" + MAX_ROWS),
                    "timeline-" + problem.problemId() + "-" + today() + ".csv");
              }
            });
    timeline.setText("Export timeline…");
    timeline.disableProperty().unbind();
    timeline.disableProperty().bind(Bindings.or(export.busy(), details.problem().isNull()));
    timeline.visibleProperty().bind(details.mode().isEqualTo(DetailsViewModel.Mode.PAIR));
    timeline.managedProperty().bind(timeline.visibleProperty());
    history.setText("Export history…");
    main.detailsView().addChartAction(new javafx.scene.layout.HBox(6, timeline, history));
  }

  /**
   * A tab whose content joins the scene only when it is first shown: the window's first frame
   * (styling and laying out two more tables) stays as cheap as it was.
   */
  private Tab lazyTab(String title, javafx.scene.Node content) {
    Tab tab = new Tab(title);
    tab.setClosable(false);
    tab.selectedProperty()
        .addListener(
            (o, was, now) -> {
              if (now && tab.getContent() == null) {
                tab.setContent(content);
              }
            });
    main.tabs().getTabs().add(tab);
    return tab;
  }

  private void exportHistory() {
    DetailsViewModel details = console.details();
    SensorId[] ids = details.charted().get();
    Instant from = details.historyFrom().get();
    Instant until = details.historyUntil().get();
    if (ids == null || from == null || until == null) {
      return;
    }
    List<CsvExport.Part> parts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (SensorId id : ids) {
      // Every reading of the range: paged through the backend's 10,000 per call.
      parts.add(CsvExport.Part.history(id.toString(), from, until));
      names.add(id.toString());
    }
    String range = details.range().get().toString().replace(" ", "");
    export.export(
        "the " + details.range().get() + " history of " + String.join(" and ", names),
        parts,
        "history-" + String.join("-", names) + "-" + range + "-" + today() + ".csv");
  }

  /**
   * The problems the list shows, with their timelines: with a filter on, only its rows, and the
   * title, the file name and the status line say which filter (decision 036); without, every one.
   */
  private void exportProblems() {
    ProblemsViewModel problems = console.problems();
    List<String> filters = new ArrayList<>();
    StatusFilter status = problems.status().get();
    if (status != null && status != StatusFilter.ALL) {
      filters.add(status.toString());
    }
    if (problems.type().get() != null) {
      filters.add(problems.type().get().name());
    }
    if (problems.tube().get() != null) {
      filters.add("tube " + problems.tube().get());
    }
    String text = problems.text().get() == null ? "" : problems.text().get().strip();
    if (!text.isEmpty()) {
      filters.add("\u201c" + text + "\u201d");
    }
    if (filters.isEmpty()) {
      export.exportRoutes("problems", List.of("/problems"), "problems-" + today() + ".csv");
      return;
    }
    Set<String> shown = new HashSet<>();
    problems.rows().forEach(row -> shown.add(row.id()));
    String slug =
        String.join("-", filters)
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^\\p{L}\\p{N}]+", "-")
            .replaceAll("(^-+|-+$)", "");
    export.export(
        "the "
            + (shown.size() == 1 ? "problem" : shown.size() + " problems")
            + " shown (filtered: "
            + String.join(", ", filters)
            + ")",
        List.of(CsvExport.Part.only("/problems", "problem_id", shown)),
        "problems-filtered-"
            + slug.substring(0, Math.min(slug.length(), 60))
            + "-"
            + today()
            + ".csv");
  }

  private Button exportButton(String id, String what, Runnable action) {
    Button button = new Button("Export…");
    button.setId(id);
    button.setTooltip(
        new Tooltip("Save " + what + " as a CSV file (UTF-8, opens in a spreadsheet)"));
    button.setMinWidth(Button.USE_PREF_SIZE);
    button.disableProperty().bind(export.busy());
    button.setOnAction(e -> action.run());
    return button;
  }

  private String today() {
    return LocalDate.ofInstant(console.problems().clock().instant(), console.time().zone())
        .toString();
  }

  /** The save dialog, starting in the folder of the last export (the home folder at first). */
  static CsvExport.PathChooser saveDialog(Supplier<Window> owner) {
    File[] lastFolder = {null};
    return (title, suggestedName) -> {
      FileChooser chooser = new FileChooser();
      chooser.setTitle(title);
      chooser.setInitialFileName(suggestedName);
      chooser
          .getExtensionFilters()
          .add(new FileChooser.ExtensionFilter("CSV files (*.csv)", "*.csv"));
      File folder =
          lastFolder[0] != null ? lastFolder[0] : new File(System.getProperty("user.home"));
      if (folder.isDirectory()) {
        chooser.setInitialDirectory(folder);
      }
      File file = chooser.showSaveDialog(owner.get());
      if (file == null) {
        return Optional.empty();
      }
      lastFolder[0] = file.getParentFile();
      return Optional.of(file.toPath());
    };
  }

  /** A hot spot's row: the pair (or the silent sensor) on the line, with its chart below. */
  void open(PairInsights.Row row) {
    open(row.problemId(), row.upstreamId(), row.downstreamId());
  }

  /** A problem id from the shift: its ends from the line, its record, or the id itself. */
  void open(String problemId) {
    SensorId[] ends = ends(problemId);
    if (ends != null) {
      open(problemId, ends[0], ends[1]);
    }
  }

  private void open(String problemId, SensorId upstream, SensorId downstream) {
    for (Tab tab : main.tabs().getTabs()) {
      if ("Line".equals(tab.getText())) {
        main.tabs().getSelectionModel().select(tab);
      }
    }
    if (upstream != null) {
      console.line().sensor(upstream).ifPresent(main.lineView()::reveal);
    }
    if (downstream == null && upstream != null) {
      console.selection().set(new Selection.Sensor(upstream));
    } else {
      console.selection().set(new Selection.Pair(problemId));
    }
  }

  private SensorId[] ends(String problemId) {
    Optional<Segment> segment = console.line().segment(problemId);
    if (segment.isPresent()) {
      return new SensorId[] {segment.get().upstream().id(), segment.get().downstream().id()};
    }
    var row = console.problems().row(problemId);
    if (row.isPresent()) {
      Problem p = row.get().problem();
      return new SensorId[] {p.upstreamId(), p.downstreamId()};
    }
    return SensorId.tryParse(problemId).map(id -> new SensorId[] {id, null}).orElse(null);
  }

  /** "01 · Manhole 14 → 02" for the shift's rows. */
  String pairText(String problemId) {
    SensorId[] ends = ends(problemId);
    if (ends == null) {
      return problemId;
    }
    String up = label(ends[0]);
    return ends[1] == null ? up + " (silent)" : up + " → " + label(ends[1]);
  }

  private String label(SensorId id) {
    return id == null
        ? "?"
        : console.line().sensor(id).map(SensorNode::label).orElse(id.toString());
  }

  public HotSpotsViewModel hotSpots() {
    return hotSpots;
  }

  public ShiftViewModel shift() {
    return shift;
  }

  public CsvExport export() {
    return export;
  }

  public HotSpotsView hotSpotsView() {
    return hotSpotsView;
  }

  public ShiftView shiftView() {
    return shiftView;
  }

  public Tab hotSpotsTab() {
    return hotSpotsTab;
  }

  public Tab shiftTab() {
    return shiftTab;
  }
}
