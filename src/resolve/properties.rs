//! Java `.properties` files (spark-defaults.conf and `--properties-file`), as `java.util.Properties` reads them.

/// Parses properties text into `(key, value)` pairs in file order; Spark trims the values.
///
/// Supports `#`/`!` comments, `=`, `:` or whitespace separators, backslash line continuations
/// and the escapes `\t \n \r \f \uXXXX`. A later duplicate key replaces the earlier one when the
/// caller collects into a map, as `Properties` does.
pub fn parse(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in logical_lines(text) {
        let (key, value) = split_key_value(&line);
        out.push((unescape(&key), unescape(&value).trim().to_string()));
    }
    out
}

/// Joins continuation lines and drops blanks and comments.
fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let piece = raw.trim_start_matches([' ', '\t', '\x0c']);
        let mut acc = match current.take() {
            Some(acc) => acc,
            None => {
                if piece.is_empty() || piece.starts_with('#') || piece.starts_with('!') {
                    continue;
                }
                String::new()
            }
        };
        let trailing = piece.chars().rev().take_while(|&c| c == '\\').count();
        if trailing % 2 == 1 {
            acc.push_str(&piece[..piece.len() - 1]);
            current = Some(acc);
        } else {
            acc.push_str(piece);
            lines.push(acc);
        }
    }
    if let Some(acc) = current {
        lines.push(acc);
    }
    lines
}

/// Splits at the first unescaped `=`, `:` or whitespace, then skips the separator.
fn split_key_value(line: &str) -> (String, String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut key_end = chars.len();
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '=' | ':' | ' ' | '\t' | '\x0c' => {
                key_end = i;
                break;
            }
            _ => i += 1,
        }
    }
    let key_end = key_end.min(chars.len());
    let key: String = chars[..key_end].iter().collect();
    let mut j = key_end;
    while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\x0c') {
        j += 1;
    }
    if j < chars.len() && matches!(chars[j], '=' | ':') {
        j += 1;
    }
    while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\x0c') {
        j += 1;
    }
    (key, chars[j.min(chars.len())..].iter().collect())
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = it.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => out.push(ch),
                    _ => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Renders pairs as a properties file that [`parse`] (and Java) reads back identically.
pub fn render(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push_str(&escape(k, true));
        out.push('=');
        out.push_str(&escape(v, false));
        out.push('\n');
    }
    out
}

fn escape(s: &str, key: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x0c' => out.push_str("\\f"),
            '=' | ':' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            ' ' if key || i == 0 => out.push_str("\\ "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Vec<(String, String)> {
        parse(t)
    }

    fn kv(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn separators_and_comments() {
        let t = "# comment\n! also\n\nspark.a=1\nspark.b : 2\nspark.c   3  \n  spark.d=\n";
        assert_eq!(
            p(t),
            vec![
                kv("spark.a", "1"),
                kv("spark.b", "2"),
                kv("spark.c", "3"),
                kv("spark.d", "")
            ]
        );
    }

    #[test]
    fn continuation_and_escapes() {
        let t = "spark.x=a,\\\n    b\nspark.y=tab\\there\nspark\\ z=\\u0041\nspark.w=c:\\\\dir\n";
        assert_eq!(
            p(t),
            vec![
                kv("spark.x", "a,b"),
                kv("spark.y", "tab\there"),
                kv("spark z", "A"),
                kv("spark.w", "c:\\dir"),
            ]
        );
    }

    #[test]
    fn value_keeps_later_equals() {
        assert_eq!(p("spark.a=b=c\n"), vec![kv("spark.a", "b=c")]);
    }

    #[test]
    fn render_round_trips() {
        let pairs = vec![
            kv("spark.a", "x=y: #z"),
            kv("spark.b", " leading"),
            kv("spark.c", "multi\nline\\"),
        ];
        let back = parse(&render(&pairs));
        // Spark trims values, so a leading space does not survive; everything else does.
        assert_eq!(back[0], pairs[0]);
        assert_eq!(back[1], kv("spark.b", "leading"));
        assert_eq!(back[2], pairs[2]);
    }
}
