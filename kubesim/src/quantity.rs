//! Kubernetes resource quantities: parsed exactly (in thousandths of a unit) and printed in the
//! canonical form quota messages use (`1`, `500m`, `1408Mi`, `2Gi`).

/// A quantity in thousandths of its unit (millicores for cpu, millibytes for memory).
pub type Milli = i128;

/// Parses `2`, `0.5`, `500m`, `1Gi`, `1G`, `1e3`.
pub fn parse(s: &str) -> Option<Milli> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let (sign, t) = match t.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, suffix) = t.split_at(end);
    if num.is_empty() || num == "." {
        return None;
    }
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let mut value: Milli = if int.is_empty() { 0 } else { int.parse().ok()? };
    // Keep up to 3 fractional digits exactly, rounding up beyond (as the API server does).
    let mut milli: Milli = 0;
    let mut round_up = false;
    for (i, d) in frac.bytes().enumerate() {
        if !d.is_ascii_digit() {
            return None;
        }
        let d = Milli::from(d - b'0');
        match i {
            0 => milli += d * 100,
            1 => milli += d * 10,
            2 => milli += d,
            _ => round_up |= d > 0,
        }
    }
    value = value.checked_mul(1000)? + milli;
    let scaled = match suffix {
        "" => value,
        "m" => value / 1000 + Milli::from((value % 1000 != 0) || round_up),
        "k" => value.checked_mul(1_000)?,
        "M" => value.checked_mul(1_000_000)?,
        "G" => value.checked_mul(1_000_000_000)?,
        "T" => value.checked_mul(1_000_000_000_000)?,
        "P" => value.checked_mul(1_000_000_000_000_000)?,
        "Ki" => value.checked_mul(1 << 10)?,
        "Mi" => value.checked_mul(1 << 20)?,
        "Gi" => value.checked_mul(1 << 30)?,
        "Ti" => value.checked_mul(1 << 40)?,
        "Pi" => value.checked_mul(1 << 50)?,
        e if e.starts_with(['e', 'E']) => {
            let exp: u32 = e[1..].parse().ok()?;
            value.checked_mul(10i128.checked_pow(exp)?)?
        }
        _ => return None,
    };
    let scaled = if suffix != "m" && round_up {
        scaled + 1
    } else {
        scaled
    };
    Some(sign * scaled)
}

/// Whether a resource name measures bytes (printed with binary suffixes).
fn is_bytes(resource: &str) -> bool {
    resource.contains("memory") || resource.contains("storage") || resource.contains("hugepages")
}

/// Canonical text for a quantity of `resource`.
pub fn format(resource: &str, q: Milli) -> String {
    if q % 1000 != 0 {
        return format!("{q}m");
    }
    let whole = q / 1000;
    if is_bytes(resource) && whole != 0 {
        for (suffix, shift) in [
            ("Ei", 60),
            ("Pi", 50),
            ("Ti", 40),
            ("Gi", 30),
            ("Mi", 20),
            ("Ki", 10),
        ] {
            if whole % (1i128 << shift) == 0 {
                return format!("{}{suffix}", whole >> shift);
            }
        }
        for (suffix, pow) in [
            ("E", 18),
            ("P", 15),
            ("T", 12),
            ("G", 9),
            ("M", 6),
            ("k", 3),
        ] {
            let unit = 10i128.pow(pow);
            if whole % unit == 0 {
                return format!("{}{suffix}", whole / unit);
            }
        }
    }
    whole.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        assert_eq!(parse("1"), Some(1000));
        assert_eq!(parse("500m"), Some(500));
        assert_eq!(parse("0.5"), Some(500));
        assert_eq!(parse("1.0001"), Some(1001));
        assert_eq!(parse("1Gi"), Some(1000 << 30));
        assert_eq!(parse("1G"), Some(1_000_000_000_000));
        assert_eq!(parse("1e3"), Some(1_000_000));
        assert_eq!(parse("abc"), None);
        assert_eq!(parse("1Xi"), None);
        assert_eq!(format("requests.cpu", 3500), "3500m");
        assert_eq!(format("requests.cpu", 3000), "3");
        assert_eq!(format("limits.memory", (1408 * 1000) << 20), "1408Mi");
        assert_eq!(format("requests.memory", (4 * 1000) << 30), "4Gi");
        assert_eq!(format("memory", 1_000_000_000_000), "1G");
        assert_eq!(format("count/pods", 3000), "3");
        assert_eq!(format("memory", 0), "0");
    }
}
