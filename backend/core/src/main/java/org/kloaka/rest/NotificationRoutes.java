package org.kloaka.rest;

import java.time.Duration;
import java.util.Set;
import org.kloaka.api.NotificationAnswers;
import org.kloaka.api.Responses;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.port.NotificationOutbox;

/**
 * {@code GET /notifications} (recent deliveries and failures, newest first) and {@code POST
 * /notifications/test} (a test message to every channel), as openapi.yaml describes them.
 */
final class NotificationRoutes {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  /** Below the AWS HTTP API's 30 s, above a webhook's usual answer. */
  static final Duration TEST_WAIT = Duration.ofSeconds(20);

  private final DeliverDueNotifications notifications;

  NotificationRoutes(DeliverDueNotifications notifications) {
    this.notifications = notifications;
  }

  /**
   * The recent entries as JSON, or as CSV when asked ({@code Accept: text/csv}, {@code format}).
   */
  Object recent(ApiRequest request) {
    QueryParameters query = QueryParameters.parse(request.rawQuery(), Lists.parameters("limit"));
    int limit = query.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    java.util.List<NotificationAnswers.Entry> rows =
        notifications == null
            ? java.util.List.of()
            : notifications.recent(limit).stream().map(NotificationRoutes::entry).toList();
    return Lists.answer(
        request,
        query,
        new NotificationAnswers.Recent(rows),
        "notifications",
        CsvTables.NOTIFICATIONS,
        rows);
  }

  NotificationAnswers.TestResults test(ApiRequest request) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    if (request.body().length > 0
        && !new String(request.body(), java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      throw ApiException.badRequest("POST /notifications/test takes no body");
    }
    if (notifications == null) {
      return new NotificationAnswers.TestResults(java.util.List.of());
    }
    return new NotificationAnswers.TestResults(
        notifications.test(TEST_WAIT).stream()
            .map(r -> new NotificationAnswers.TestResult(r.channel(), r.ok(), r.error()))
            .toList());
  }

  Responses.Notifications counts() {
    if (notifications == null) {
      return new Responses.Notifications(0, 0);
    }
    NotificationOutbox.Counts counts = notifications.counts();
    return new Responses.Notifications(counts.pending(), counts.failed());
  }

  private static NotificationAnswers.Entry entry(Notification n) {
    return new NotificationAnswers.Entry(
        n.problemId(),
        n.problemTime(),
        n.event().wire(),
        n.step(),
        n.channel(),
        n.state().wire(),
        n.dueAt(),
        n.attempts(),
        n.doneAt() != null ? n.doneAt() : n.nextAttemptAt(),
        n.error());
  }
}
