package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.port.OperatorStore;
import org.kloaka.model.Operator;
import org.kloaka.model.Role;

/** Operator accounts in the {@code operator} table, their tokens as digests. */
public final class SqliteOperatorStore implements OperatorStore {

  private static final String INSERT =
      "INSERT INTO operator (name, role, created, token_digest) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";
  private static final String BY_DIGEST =
      "SELECT name, role, created FROM operator WHERE token_digest = ?";
  private static final String LIST = "SELECT name, role, created FROM operator ORDER BY name";
  private static final String DELETE = "DELETE FROM operator WHERE name = ?";

  private final SqliteDatabase db;

  public SqliteOperatorStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public boolean add(Operator operator, String tokenDigest) {
    return db.write(
        "add an operator",
        operator.name(),
        session -> {
          PreparedStatement insert = session.statement(INSERT);
          insert.setString(1, operator.name());
          insert.setString(2, operator.role().wire());
          insert.setLong(3, operator.created());
          insert.setString(4, tokenDigest);
          return insert.executeUpdate() == 1;
        });
  }

  @Override
  public Optional<Operator> byDigest(String tokenDigest) {
    return db.read(
        "look up a token",
        session -> {
          PreparedStatement find = session.statement(BY_DIGEST);
          find.setString(1, tokenDigest);
          try (ResultSet row = find.executeQuery()) {
            return row.next() ? Optional.of(operator(row)) : Optional.<Operator>empty();
          }
        });
  }

  @Override
  public List<Operator> list() {
    return db.read(
        "list operators",
        session -> {
          List<Operator> operators = new ArrayList<>();
          try (ResultSet rows = session.statement(LIST).executeQuery()) {
            while (rows.next()) {
              operators.add(operator(rows));
            }
          }
          return operators;
        });
  }

  @Override
  public boolean remove(String name) {
    return db.write(
        "remove an operator",
        name,
        session -> {
          PreparedStatement delete = session.statement(DELETE);
          delete.setString(1, name);
          return delete.executeUpdate() == 1;
        });
  }

  private static Operator operator(ResultSet row) throws SQLException {
    return new Operator(row.getString(1), Role.ofWire(row.getString(2)), row.getLong(3));
  }
}
