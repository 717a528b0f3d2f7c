package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.ProblemEvent;

/**
 * The "Shift" tab: the handover for a chosen span ({@code GET /insights/shift}, docs/api.md
 * "Shift") — what opened, was acknowledged, commented on and resolved, by whom — with a summary
 * line a person reads in a minute, then the events oldest first.
 */
public final class ShiftViewModel {

  /** The spans offered. */
  public enum Span {
    LAST_8_H("last 8 h"),
    LAST_12_H("last 12 h"),
    SINCE_YESTERDAY_6("since yesterday 06:00"),
    CUSTOM("custom…");

    private final String label;

    Span(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** One event as the table shows it. */
  public record Row(
      String problemId,
      long time,
      String timeText,
      String what,
      String pair,
      String by,
      String note) {}

  static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Backend backend;
  private final Executor ui;
  private final Clock clock;
  private final TimeText time;
  private final Function<String, String> pairText;
  private final ObservableList<Row> rows = FXCollections.observableArrayList();
  private final ObjectProperty<Span> span = new SimpleObjectProperty<>(this, "span", Span.LAST_8_H);
  private final StringProperty from = new SimpleStringProperty(this, "from", "");
  private final StringProperty until = new SimpleStringProperty(this, "until", "");
  private final BooleanProperty active = new SimpleBooleanProperty(this, "active");
  private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
  private final ReadOnlyStringWrapper byWhom = new ReadOnlyStringWrapper(this, "byWhom", "");
  private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
  private final ReadOnlyStringWrapper empty =
      new ReadOnlyStringWrapper(this, "empty", "The shift is loaded when this tab is shown.");
  private long request;
  private Instant loadedSince;
  private Instant loadedUntil;

  /**
   * @param pairText a problem id as the operator reads it ("Manhole 14 (01) → 02")
   */
  public ShiftViewModel(
      Backend backend, Executor ui, Clock clock, TimeText time, Function<String, String> pairText) {
    this.backend = backend;
    this.ui = ui;
    this.clock = clock;
    this.time = time;
    this.pairText = pairText;
    span.addListener(
        (o, was, now) -> {
          if (now != Span.CUSTOM) {
            load();
          }
        });
    active.addListener(
        (o, was, now) -> {
          if (now) {
            load();
          }
        });
  }

  public ObservableList<Row> rows() {
    return rows;
  }

  public ObjectProperty<Span> span() {
    return span;
  }

  /** The span's start as typed or as the preset set it: {@code 2026-11-28 06:00}. */
  public StringProperty from() {
    return from;
  }

  public StringProperty until() {
    return until;
  }

  public BooleanProperty active() {
    return active;
  }

  /** "3 opened · 2 acknowledged · 1 comment · 2 resolved — still unresolved: 0102, 0304". */
  public ReadOnlyStringProperty summary() {
    return summary.getReadOnlyProperty();
  }

  /** "maria: 2 acknowledged, 1 comment · admin: 1 resolved". */
  public ReadOnlyStringProperty byWhom() {
    return byWhom.getReadOnlyProperty();
  }

  /** "loading…", "updated 14:05:03", or what is wrong with the span or the call. */
  public ReadOnlyStringProperty state() {
    return state.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty empty() {
    return empty.getReadOnlyProperty();
  }

  /** The start of the span shown, or null before the first answer. */
  public Instant loadedSince() {
    return loadedSince;
  }

  /** The end of the span shown, or null before the first answer. */
  public Instant loadedUntil() {
    return loadedUntil;
  }

  /** Loads the chosen span: a preset ends now; "custom" reads the two fields. */
  public void load() {
    Instant now = clock.instant();
    Instant since;
    Instant to;
    Span chosen = span.get() == null ? Span.LAST_8_H : span.get();
    switch (chosen) {
      case LAST_8_H -> {
        since = now.minusSeconds(8 * 3600);
        to = now;
      }
      case LAST_12_H -> {
        since = now.minusSeconds(12 * 3600);
        to = now;
      }
      case SINCE_YESTERDAY_6 -> {
        LocalDate yesterday = LocalDate.ofInstant(now, time.zone()).minusDays(1);
        since = LocalDateTime.of(yesterday, LocalTime.of(6, 0)).atZone(time.zone()).toInstant();
        to = now;
      }
      default -> {
        since = parse(from.get(), "From");
        to = parse(until.get(), "Until");
        if (since == null || to == null) {
          return;
        }
        if (to.isBefore(since)) {
          state.set("Until is before From: nothing to show.");
          return;
        }
      }
    }
    if (chosen != Span.CUSTOM) {
      from.set(time.exact(since));
      until.set(time.exact(to));
    }
    long mine = ++request;
    state.set("loading…");
    Instant start = since;
    Instant end = to;
    backend
        .shift(since, to)
        .whenCompleteAsync(
            (events, failure) -> {
              if (mine != request) {
                return;
              }
              if (failure != null) {
                state.set("Could not load the shift: " + BackendException.describe(failure));
                return;
              }
              loadedSince = start;
              loadedUntil = end;
              show(events, start, end);
              state.set("updated " + time.exactSeconds(clock.instant()).substring(11));
            },
            ui);
  }

  private Instant parse(String text, String field) {
    try {
      return LocalDateTime.parse(text == null ? "" : text.strip(), INPUT)
          .atZone(time.zone())
          .toInstant();
    } catch (DateTimeParseException e) {
      state.set(
          field
              + ": write a time like "
              + time.exact(clock.instant())
              + " (year-month-day hour:minute)");
      return null;
    }
  }

  private void show(List<ProblemEvent> events, Instant since, Instant to) {
    List<Row> list = new ArrayList<>();
    Map<ProblemEvent.Type, Integer> counts = new LinkedHashMap<>();
    Map<String, Map<ProblemEvent.Type, Integer>> people = new LinkedHashMap<>();
    // Occurrences (pair and problem_time) opened in the span, less those resolved in it: counted,
    // since events of one second come in type order (opened before resolved), not as they came.
    Map<String, Integer> stillOpen = new LinkedHashMap<>();
    for (ProblemEvent e : events) {
      String pair = pairText.apply(e.problemId());
      String what = e.type().wire();
      if ((e.type() == ProblemEvent.Type.OPENED || e.type() == ProblemEvent.Type.CHANGED)
          && e.problem() != null) {
        what += " " + e.problem();
      }
      list.add(
          new Row(
              e.problemId(),
              e.time(),
              time.exact(TimeText.epoch(e.time())),
              what,
              pair,
              e.by() == null ? "system" : e.by(),
              e.note() == null ? "" : e.note()));
      counts.merge(e.type(), 1, Integer::sum);
      if (e.by() != null) {
        people.computeIfAbsent(e.by(), b -> new LinkedHashMap<>()).merge(e.type(), 1, Integer::sum);
      }
      String occurrence = e.problemId() + "@" + e.problemTime();
      if (e.type() == ProblemEvent.Type.OPENED) {
        stillOpen.merge(occurrence, 1, Integer::sum);
      } else if (e.type() == ProblemEvent.Type.RESOLVED) {
        stillOpen.merge(occurrence, -1, Integer::sum);
      }
    }
    rows.setAll(list);
    String span = time.exact(since) + " – " + time.exact(to);
    if (events.isEmpty()) {
      summary.set(span + ": nothing opened, acknowledged, commented on or resolved.");
      byWhom.set("");
    } else {
      StringBuilder text = new StringBuilder(span).append(": ");
      text.append(counted(counts));
      Set<String> openedNotResolved = new LinkedHashSet<>();
      stillOpen.forEach(
          (occurrence, n) -> {
            if (n > 0) {
              openedNotResolved.add(occurrence.substring(0, occurrence.lastIndexOf('@')));
            }
          });
      if (!openedNotResolved.isEmpty()) {
        List<String> open = new ArrayList<>();
        openedNotResolved.forEach(id -> open.add(withoutNames(pairText.apply(id))));
        text.append(" — opened and not resolved in the span: ").append(String.join(", ", open));
      }
      summary.set(text.toString());
      List<String> parts = new ArrayList<>();
      people.forEach((who, theirs) -> parts.add(who + ": " + counted(theirs).replace(" · ", ", ")));
      byWhom.set(parts.isEmpty() ? "" : "By whom — " + String.join(" · ", parts));
    }
    empty.set("Nothing happened in " + span + ".");
  }

  /** "22 → 23" from "22 · Viale Trastevere → 23 · Piazza Mastai": the summary stays short. */
  static String withoutNames(String pair) {
    return pair.replaceAll(" · [^→]*?(?= →|$| \\(silent\\))", "");
  }

  private static String counted(Map<ProblemEvent.Type, Integer> counts) {
    List<String> parts = new ArrayList<>();
    for (ProblemEvent.Type type : ProblemEvent.Type.values()) {
      Integer n = counts.get(type);
      if (n != null) {
        String word = type == ProblemEvent.Type.COMMENT && n > 1 ? "comments" : type.wire();
        parts.add(n + " " + word);
      }
    }
    return String.join(" · ", parts);
  }
}
