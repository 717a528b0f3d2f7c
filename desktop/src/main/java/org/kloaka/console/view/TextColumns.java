package org.kloaka.console.view;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

/** Read-only text columns whose whole text shows on hover, in the order the rows came. */
final class TextColumns {

  private TextColumns() {}

  /** {@code clicks} clicks on a row with an item run {@code action} with it. */
  static <T> void onRowClick(
      javafx.scene.control.TableView<T> table, int clicks, java.util.function.Consumer<T> action) {
    table.setRowFactory(
        t -> {
          javafx.scene.control.TableRow<T> row = new javafx.scene.control.TableRow<>();
          row.setOnMouseClicked(
              e -> {
                if (e.getClickCount() == clicks && !row.isEmpty() && row.getItem() != null) {
                  action.accept(row.getItem());
                }
              });
          return row;
        });
  }

  static <T> TableColumn<T, String> of(String title, double width, Function<T, String> text) {
    return of(title, width, text, null);
  }

  /** With {@code tip} the hover text of a row (its own text when null). */
  static <T> TableColumn<T, String> of(
      String title, double width, Function<T, String> text, Function<T, String> tip) {
    TableColumn<T, String> column = new TableColumn<>(title);
    column.setPrefWidth(width);
    column.setSortable(false); // the backend's order is the order (a ranking, a handover)
    column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(text.apply(c.getValue())));
    column.setCellFactory(
        c ->
            new TableCell<>() {
              @Override
              protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                T row = empty ? null : getTableRow() == null ? null : getTableRow().getItem();
                String hover = tip == null || row == null ? item : tip.apply(row);
                setTooltip(empty || hover == null || hover.isEmpty() ? null : new Tooltip(hover));
              }
            });
    return column;
  }
}
