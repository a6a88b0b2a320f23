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
