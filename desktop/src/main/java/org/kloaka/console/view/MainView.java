package org.kloaka.console.view;

import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.TimeText;

/**
 * The console's one window: top bar; the line (or map, or rejected messages) in the centre; the
 * problems on the right; details of the selection below; the status bar at the bottom. Keyboard:
 * arrows move through problems, Enter opens, A acknowledges, R resolves, U undoes, F searches, +
 * and − zoom.
 */
public final class MainView extends BorderPane {

  private static final PseudoClass LARGE_TEXT = PseudoClass.getPseudoClass("large-text");
  private static final PseudoClass STALE_VIEW = PseudoClass.getPseudoClass("stale");
  private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");

  /** 18 px over 13 px: the stylesheet's large-text font size over the normal one. */
  static final double LARGE_TEXT_FACTOR = 18.0 / 13.0;

  private final ConsoleViewModel console;
  private final LineView lineView;
  private final MapView mapView;
  private final ProblemsView problemsView;
  private final DetailsView detailsView;
  private final RejectsView rejectsView;
  private final TabPane tabs = new TabPane();
  private final TextField search = new TextField();
  private boolean swallowTyped;

  public MainView(ConsoleViewModel console, TimeText time, String tileUrl) {
    this.console = console;
    getStyleClass().add("main-view");
    Legend legend = new Legend();
    lineView = new LineView(console, legend);
    mapView = new MapView(console.line(), legend, tileUrl, console.selection());
    problemsView = new ProblemsView(console, time);
    detailsView = new DetailsView(console.details(), time);

    search.setId("search");
    search.setPromptText("Find sensor (id or name)  F");
    search.setPrefColumnCount(18);
    Label notFound = new Label();
    notFound.getStyleClass().add("hint");
    search.setOnKeyPressed(
        e -> {
          if (e.getCode() == KeyCode.ESCAPE) {
            lineView.requestFocus();
          }
        });
    search.setOnAction(
        e ->
            console
                .line()
                .find(search.getText())
                .ifPresentOrElse(
                    node -> {
                      notFound.setText("");
                      tabs.getSelectionModel().select(0);
                      lineView.reveal(node);
                    },
                    () -> notFound.setText("no sensor “" + search.getText().strip() + "”")));
    Button zoomIn = toolButton("+", "Zoom in (+)", () -> lineView.zoom(1.25));
    Button zoomOut = toolButton("−", "Zoom out (−)", () -> lineView.zoom(0.8));
    Button fit =
        toolButton("Fit", "Fit the whole line into the window (double-click)", lineView::fit);
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox toolbar = new HBox(6, search, notFound, gap, zoomOut, zoomIn, fit);
    toolbar.setAlignment(Pos.CENTER_LEFT);
    toolbar.getStyleClass().add("line-toolbar");
    VBox.setVgrow(lineView, Priority.ALWAYS);
    VBox linePane = new VBox(toolbar, lineView);

    Tab lineTab = new Tab("Line", linePane);
    Tab mapTab = new Tab("Map", mapView);
    mapView.active().bind(mapTab.selectedProperty());
    rejectsView = new RejectsView(console.rejects(), time);
    Tab rejectsTab = new Tab("Rejected messages", rejectsView);
    console.rejects().active().bind(rejectsTab.selectedProperty());
    for (Tab tab : new Tab[] {lineTab, mapTab, rejectsTab}) {
      tab.setClosable(false);
      tabs.getTabs().add(tab);
    }

    SplitPane centre = new SplitPane(tabs, problemsView);
    centre.setDividerPositions(0.6);
    SplitPane.setResizableWithParent(problemsView, false);
    SplitPane body = new SplitPane(centre, detailsView);
    body.setOrientation(Orientation.VERTICAL);
    body.setDividerPositions(0.7);
    SplitPane.setResizableWithParent(detailsView, false);

    setTop(new VBox(new TopBar(console.status()), banner(console)));
    setCenter(body);
    // Not in step with the backend: everything shown is the last known state, greyed.
    console
        .status()
        .live()
        .addListener((o, was, now) -> body.pseudoClassStateChanged(STALE_VIEW, !now));
    body.pseudoClassStateChanged(STALE_VIEW, !console.status().live().get());
    body.getStyleClass().add("body");
    setBottom(new StatusBar(console.status()));

    console.status().largeText().addListener((o, was, now) -> largeText(now));
    if (console.status().largeText().get()) {
      largeText(true);
    }
    addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    // The character of a handled shortcut must not land in the field it focused (F → search).
    addEventFilter(
        KeyEvent.KEY_TYPED,
        e -> {
          if (swallowTyped) {
            swallowTyped = false;
            e.consume();
          }
        });
  }

  /** The strip under the top bar while not live: offline since when, and "Retry now". */
  private static HBox banner(ConsoleViewModel console) {
    Label text = new Label();
    text.setId("banner-text");
    text.textProperty().bind(console.status().banner());
    text.setWrapText(true);
    Button retry = new Button("Retry now");
    retry.setId("retry-now");
    retry.setOnAction(e -> console.status().retryNow());
    retry.visibleProperty().bind(console.status().offline());
    retry.managedProperty().bind(retry.visibleProperty());
    retry.setMinWidth(USE_PREF_SIZE);
    HBox banner = new HBox(12, text, retry);
    banner.setId("banner");
    banner.getStyleClass().add("banner");
    banner.setAlignment(Pos.CENTER_LEFT);
    banner.visibleProperty().bind(console.status().banner().isNotEmpty());
    banner.managedProperty().bind(banner.visibleProperty());
    console
        .status()
        .offline()
        .addListener((o, was, now) -> banner.pseudoClassStateChanged(OFFLINE, now));
    return banner;
  }

  /** Large text: every font by the stylesheet, the line's labels and the table's columns. */
  private void largeText(boolean on) {
    pseudoClassStateChanged(LARGE_TEXT, on);
    double factor = on ? LARGE_TEXT_FACTOR : 1;
    lineView.textScale(factor);
    problemsView.scaleColumns(factor);
  }

  private static Button toolButton(String text, String tip, Runnable action) {
    Button button = new Button(text);
    button.setTooltip(new Tooltip(tip));
    button.setOnAction(e -> action.run());
    button.getStyleClass().add("tool");
    return button;
  }

  private void onKey(KeyEvent e) {
    if (e.getTarget() instanceof TextInputControl
        || e.isControlDown()
        || e.isAltDown()
        || e.isMetaDown()) {
      return;
    }
    String text = e.getText();
    KeyCode code = e.getCode();
    if (code == KeyCode.F) {
      search.requestFocus();
      search.selectAll();
    } else if (code == KeyCode.R) {
      resolveSelected();
    } else if (code == KeyCode.A) {
      if (console.selection().get() instanceof Selection.Pair) {
        console.details().acknowledge();
      }
    } else if (code == KeyCode.U) {
      problemsView.undo();
    } else if ("+".equals(text)
        || code == KeyCode.PLUS
        || code == KeyCode.ADD
        || code == KeyCode.EQUALS) {
      lineView.zoom(1.25);
    } else if ("-".equals(text) || code == KeyCode.MINUS || code == KeyCode.SUBTRACT) {
      lineView.zoom(0.8);
    } else if ((code == KeyCode.UP || code == KeyCode.DOWN) && !problemsView.table().isFocused()) {
      problemsView.table().requestFocus();
      var selection = problemsView.table().getSelectionModel();
      if (selection.isEmpty() && !problemsView.table().getItems().isEmpty()) {
        selection.select(0);
      } else if (code == KeyCode.UP) {
        selection.selectPrevious();
      } else {
        selection.selectNext();
      }
    } else if (code == KeyCode.ENTER && problemsView.table().isFocused()) {
      if (console.selection().get() instanceof Selection.Pair) {
        detailsView.noteField().requestFocus();
      }
    } else {
      return;
    }
    swallowTyped = !e.getText().isEmpty(); // arrows type nothing: nothing to swallow
    e.consume();
  }

  /** R: resolve the selected problem with the note typed in the details. */
  private void resolveSelected() {
    if (console.selection().get() instanceof Selection.Pair) {
      console.details().resolve();
    }
  }

  public LineView lineView() {
    return lineView;
  }

  public MapView mapView() {
    return mapView;
  }

  public ProblemsView problemsView() {
    return problemsView;
  }

  public DetailsView detailsView() {
    return detailsView;
  }

  public RejectsView rejectsView() {
    return rejectsView;
  }

  public TabPane tabs() {
    return tabs;
  }

  /** Selects the pair on the FX thread (for scripts and tests). */
  public void select(Selection selection) {
    Platform.runLater(() -> console.selection().set(selection));
  }
}
