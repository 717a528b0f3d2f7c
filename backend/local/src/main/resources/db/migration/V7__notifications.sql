-- The notification outbox (docs/notifications.md): one row per problem occurrence, ladder step and
-- channel (a resolution notice: step 'r' in the key), written in the transaction of the problem
-- change that made it due. problem is the record as JSON when the row was written.
CREATE TABLE notification (
  key             TEXT    PRIMARY KEY,
  problem_id      TEXT    NOT NULL,
  problem_time    INTEGER NOT NULL,
  step            INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  event           TEXT    NOT NULL CHECK (event IN ('OPENED', 'ESCALATED', 'RESOLVED')),
  due_at          INTEGER NOT NULL,
  problem         TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')),
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  error           TEXT,
  done_at         INTEGER
);
CREATE INDEX notification_due ON notification (channel, state, next_attempt_at);
CREATE INDEX notification_by_occurrence ON notification (problem_id, problem_time);
CREATE INDEX notification_recent ON notification (coalesce(done_at, next_attempt_at) DESC, key);
