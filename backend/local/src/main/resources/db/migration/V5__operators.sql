-- Version 5: operator accounts (docs/api.md, "Operators and roles"). A token is kept only as its
-- SHA-256 digest; the install token is not in this table.
CREATE TABLE operator (
  name         TEXT    PRIMARY KEY,
  role         TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'ingest')),
  created      INTEGER NOT NULL,
  token_digest TEXT    NOT NULL UNIQUE
);
