//! The words of the problem table and of a row's record, in English and Spanish (the rest of
//! the page's words are in `i18n`): one field each, so a missing translation fails to compile.

use super::i18n::{group_digits, Lang};
use crate::core::lang::plural;

pub fn table_text(lang: Lang) -> &'static TableText {
    lang.pick(&EN, &ES)
}

pub struct TableText {
    pub col_severity: &'static str,
    pub col_row: &'static str,
    pub col_user: &'static str,
    pub col_field: &'static str,
    pub col_problem: &'static str,
    pub col_fix: &'static str,
    pub sort: &'static str,
    pub sort_severity: &'static str,
    pub sort_row: &'static str,
    pub sort_kind: &'static str,
    /// The pager's name, for the one above the table and the one below.
    pub pager_top: &'static str,
    pub pager_bottom: &'static str,
    /// The row-number button, for screen readers: "Show the record of row 16".
    pub open_row: &'static str,
    pub close_row: &'static str,
    pub whole_file: &'static str,
    pub row_heading: &'static str,
    pub close: &'static str,
    /// An accepted row: what the export says, then what `users.json` holds.
    pub as_exported: &'static str,
    pub imported_as: &'static str,
    /// A rejected row: not in `users.json`, and its cells as the file has them.
    pub not_imported: &'static str,
    pub original_cells: &'static str,
    pub extra_cell: &'static str,
    pub no_cells: &'static str,
    pub not_found: &'static str,
}

impl TableText {
    /// "Showing 1–100 of 2,345 problems."
    pub fn showing(&self, lang: Lang, from: usize, to: usize, total: usize) -> String {
        let (f, t, n) = (
            group_digits(lang, from),
            group_digits(lang, to),
            group_digits(lang, total),
        );
        match lang {
            Lang::En => plural(
                total,
                "Showing the only problem.".to_string(),
                format!("Showing {f}–{t} of {n} problems."),
            ),
            Lang::Es => plural(
                total,
                "Mostrando el único problema.".to_string(),
                format!("Mostrando {f}–{t} de {n} problemas."),
            ),
        }
    }

    /// "Page 2 of 4"
    pub fn page_of(&self, lang: Lang, page: usize, pages: usize) -> String {
        match lang {
            Lang::En => format!("Page {page} of {pages}"),
            Lang::Es => format!("Página {page} de {pages}"),
        }
    }
}

static EN: TableText = TableText {
    col_severity: "Severity",
    col_row: "Row",
    col_user: "User id",
    col_field: "Field",
    col_problem: "Problem",
    col_fix: "What to do",
    sort: "Sort by",
    sort_severity: "Severity, errors first",
    sort_row: "Row, as in the file",
    sort_kind: "Kind of problem",
    pager_top: "Pages of problems, above the table",
    pager_bottom: "Pages of problems, below the table",
    open_row: "Show the record of row",
    close_row: "Hide the record of row",
    whole_file: "whole file",
    row_heading: "Row",
    close: "Close",
    as_exported: "As the export has it (secrets hidden)",
    imported_as: "Imported as (users.json, secrets hidden)",
    not_imported: "Not imported: this row is not in users.json. It is rejected, for the problems listed in the table; it is in rejected.csv, to fix and prepare again.",
    original_cells: "Its cells as the export has them (secrets hidden)",
    extra_cell: "(cell beyond the header)",
    no_cells: "Every cell of this row is empty.",
    not_found: "This row could not be read again from the file.",
};

static ES: TableText = TableText {
    col_severity: "Gravedad",
    col_row: "Fila",
    col_user: "Id de usuario",
    col_field: "Campo",
    col_problem: "Problema",
    col_fix: "Qué hacer",
    sort: "Ordenar por",
    sort_severity: "Gravedad, errores primero",
    sort_row: "Fila, como en el archivo",
    sort_kind: "Tipo de problema",
    pager_top: "Páginas de problemas, encima de la tabla",
    pager_bottom: "Páginas de problemas, debajo de la tabla",
    open_row: "Ver el registro de la fila",
    close_row: "Ocultar el registro de la fila",
    whole_file: "todo el archivo",
    row_heading: "Fila",
    close: "Cerrar",
    as_exported: "Tal como la tiene la exportación (secretos ocultos)",
    imported_as: "Se importa como (users.json, secretos ocultos)",
    not_imported: "No se importa: esta fila no está en users.json. Está rechazada por los problemas que lista la tabla; está en rejected.csv, para corregirla y volver a preparar.",
    original_cells: "Sus celdas tal como las tiene la exportación (secretos ocultos)",
    extra_cell: "(celda más allá de la cabecera)",
    no_cells: "Todas las celdas de esta fila están vacías.",
    not_found: "No se ha podido volver a leer esta fila del archivo.",
};
