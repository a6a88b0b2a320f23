//! Spark's size strings (`4g`, `512m`: JVM sizes) and the launcher's durations, parsed exactly
//! as their owners parse them. Kubernetes quantities are another grammar: [`crate::quantity`].

/// Binary units of Spark's `JavaUtils.byteStringAs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteUnit {
    Byte,
    KiB,
    MiB,
}

impl ByteUnit {
    fn shift(self) -> u32 {
        match self {
            ByteUnit::Byte => 0,
            ByteUnit::KiB => 10,
            ByteUnit::MiB => 20,
        }
    }
}

/// Parses a Spark size string (`512m`, `2g`, `1024`) into `unit`, with `default` for a bare number.
///
/// Follows `JavaUtils.byteStringAs`: trimmed, lower-cased, `<digits><suffix>?`, binary suffixes
/// `b k kb m mb g gb t tb p pb`, no fractions, a leading `-` allowed; converting to a larger unit
/// truncates.
pub fn byte_string_as(s: &str, default: ByteUnit, unit: ByteUnit) -> Result<i64, String> {
    let lower = s.trim().to_ascii_lowercase();
    let (neg, body) = match lower.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, lower.as_str()),
    };
    let digits_end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (digits, suffix) = body.split_at(digits_end);
    if digits.is_empty() {
        return Err(format!(
            "Size must be specified as bytes (b), kibibytes (k), mebibytes (m), gibibytes (g), \
             tebibytes (t), or pebibytes(p). E.g. 50b, 100k, or 250m. Failed to parse byte string: {s}"
        ));
    }
    if suffix.starts_with('.') {
        return Err(format!(
            "Fractional values are not supported. Input was: {s}"
        ));
    }
    let shift = match suffix {
        "" => default.shift(),
        "b" => 0,
        "k" | "kb" => 10,
        "m" | "mb" => 20,
        "g" | "gb" => 30,
        "t" | "tb" => 40,
        "p" | "pb" => 50,
        other => return Err(format!("Invalid suffix: \"{other}\" in size string {s}")),
    };
    let n: i128 = digits
        .parse::<i128>()
        .map_err(|_| format!("Size string {s} is too large"))?;
    let n = if neg { -n } else { n };
    let target = unit.shift();
    let value = if shift >= target {
        n.checked_mul(1i128 << (shift - target))
            .ok_or_else(|| format!("Size string {s} is too large"))?
    } else {
        n / (1i128 << (target - shift))
    };
    i64::try_from(value).map_err(|_| format!("Size string {s} is too large"))
}

/// MiB from a Spark memory setting whose bare numbers mean MiB (`spark.driver.memory` and kin).
pub fn mib(s: &str) -> Result<i64, String> {
    byte_string_as(s, ByteUnit::MiB, ByteUnit::MiB)
}

/// Parses a launcher duration: a number of seconds (`3`, `0.5`), or one with a unit as
/// Spark's time strings write them (`500ms`, `3s`, `10m`, `10min`, `1h`, `2d`). Returns
/// seconds; negative, not finite, or anything else is an error saying what is accepted.
pub fn seconds(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let bad = || {
        format!(
            "'{s}' is not a duration: write seconds (3, 0.5) or a number with a unit: 500ms, 3s, 10m, 1h, 2d"
        )
    };
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(end);
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return Err(bad());
    }
    let n: f64 = number.parse().map_err(|_| bad())?;
    let scale = match unit.trim_start() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return Err(bad()),
    };
    let v = n * scale;
    if !v.is_finite() || v > 1e12 {
        return Err(format!("'{s}' is too long a duration"));
    }
    Ok(v)
}

/// Renders seconds for the settings' canonical text: `600`, `0.5`.
pub fn format_seconds(v: f64) -> String {
    let t = format!("{v:.3}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (input, want) in [
            ("3", 3.0),
            ("3s", 3.0),
            ("0.5", 0.5),
            ("500ms", 0.5),
            ("10m", 600.0),
            ("10min", 600.0),
            ("1h", 3600.0),
            ("2d", 172800.0),
            (" 0 ", 0.0),
        ] {
            assert_eq!(seconds(input), Ok(want), "{input}");
        }
        for bad in [
            "abc", "-5", "", "s", "1x", "1.", ".5", "1e3", "inf", "NaN", "3 hours",
        ] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
        assert!(seconds("99999999999999d").unwrap_err().contains("too long"));
        for (v, text) in [(600.0, "600"), (0.5, "0.5"), (0.0, "0")] {
            assert_eq!(format_seconds(v), text);
        }
    }

    #[test]
    fn spark_sizes() {
        for (input, want) in [
            ("1g", 1024),
            ("1G", 1024),
            (" 2gb ", 2048),
            ("512", 512),
            ("512m", 512),
            ("1500k", 1),
            ("512k", 0),
            ("1t", 1 << 20),
            ("-1g", -1024),
        ] {
            assert_eq!(mib(input), Ok(want), "{input}");
        }
        assert!(mib("1.5g").unwrap_err().contains("Fractional"));
        assert!(mib("1x").unwrap_err().contains("Invalid suffix"));
        assert!(mib("g").is_err());
        assert!(mib("").is_err());
        let bytes = |s: &str| byte_string_as(s, ByteUnit::Byte, ByteUnit::Byte);
        assert_eq!(bytes("1m"), Ok(1 << 20));
        assert_eq!(bytes("100"), Ok(100));
        assert!(bytes("99999999p").is_err());
    }
}
