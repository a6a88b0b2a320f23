//! Tables for people: aligned columns under a heading (`list`, `queue`, `clusters`).

/// Left-aligned columns under a heading, two spaces apart.
pub fn columns(head: &[&str], cells: Vec<Vec<String>>) -> String {
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            cells
                .iter()
                .filter_map(|c| c.get(i).map(String::len))
                .chain([head[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let fmt = |c: Vec<String>| {
        let line = c
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        format!("{}\n", line.trim_end())
    };
    std::iter::once(fmt(head.iter().map(|h| h.to_string()).collect()))
        .chain(cells.into_iter().map(fmt))
        .collect()
}

/// The table of `rows` as their JSON (`-o json`) shows them: one column per field of `fields`,
/// headed by its name in capitals (`job_id` → `JOB ID`). `"detail|holder"` shows the first
/// of those fields that is not empty, headed by the last. A string shows as it is, a number
/// as its digits, `null` as `-`. A column no row has (a field skipped when empty, as
/// `cluster` outside a fleet) is not shown.
pub fn of_rows<T: serde::Serialize>(rows: &[T], fields: &[&str]) -> String {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    let shown: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| {
            values
                .iter()
                .any(|v| f.split('|').any(|f| v.get(f).is_some()))
        })
        .collect();
    let head: Vec<String> = shown
        .iter()
        .map(|f| {
            f.rsplit('|')
                .next()
                .unwrap_or(f)
                .replace('_', " ")
                .to_uppercase()
        })
        .collect();
    let cells = values
        .iter()
        .map(|v| shown.iter().map(|f| cell(v, f)).collect())
        .collect();
    columns(&head.iter().map(String::as_str).collect::<Vec<_>>(), cells)
}

/// The wide table of `rows` (`-o wide`): the columns of `fields` with `namespace` after
/// `cluster`, and each `a|b` column as two.
pub fn wide<T: serde::Serialize>(rows: &[T], fields: &[&str]) -> String {
    let mut all: Vec<&str> = Vec::new();
    for f in fields {
        all.extend(f.split('|'));
        if *f == "cluster" {
            all.push("namespace");
        }
    }
    of_rows(rows, &all)
}

/// One cell of [`of_rows`]: the first of `fields` (`a|b`) that `row` has and is not empty.
fn cell(row: &serde_json::Value, fields: &str) -> String {
    fields
        .split('|')
        .find_map(|f| match row.get(f)? {
            serde_json::Value::String(s) if s.is_empty() => None,
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => Some("-".into()),
            other => Some(other.to_string()),
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Row {
        #[serde(skip_serializing_if = "String::is_empty")]
        cluster: String,
        job_id: &'static str,
        position: Option<usize>,
        #[serde(skip_serializing_if = "str::is_empty")]
        detail: &'static str,
        holder: &'static str,
    }

    fn row(cluster: &str, position: Option<usize>, detail: &'static str) -> Row {
        Row {
            cluster: cluster.into(),
            job_id: "j-1",
            position,
            detail,
            holder: "host/1",
        }
    }

    const FIELDS: &[&str] = &["cluster", "job_id", "position", "detail|holder"];

    #[test]
    fn a_table_shows_the_rows_json_fields_under_their_names() {
        let rows = [row("", Some(3), ""), row("", None, "pods a, b")];
        assert_eq!(
            of_rows(&rows, FIELDS),
            "JOB ID  POSITION  HOLDER\n\
             j-1     3         host/1\n\
             j-1     -         pods a, b\n"
        );
    }

    #[test]
    fn the_wide_table_splits_merged_columns() {
        let rows = [row("east", Some(0), "pods a")];
        assert_eq!(
            wide(&rows, FIELDS),
            "CLUSTER  JOB ID  POSITION  DETAIL  HOLDER\n\
             east     j-1     0         pods a  host/1\n"
        );
    }

    #[test]
    fn the_cluster_column_shows_when_a_row_names_one() {
        let rows = [row("east", Some(0), ""), row("", Some(1), "")];
        assert_eq!(
            of_rows(&rows, FIELDS),
            "CLUSTER  JOB ID  POSITION  HOLDER\n\
             east     j-1     0         host/1\n\
             \x20        j-1     1         host/1\n"
        );
    }
}
