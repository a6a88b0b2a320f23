//! Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`), parsed as the API server parses them.
//!
//! One parser for the whole launcher: the submit pod's requests, the quota headroom the queue
//! admits against, the per-queue limits, the fleet's headroom. It follows
//! k8s.io/apimachinery/pkg/api/resource/quantity.go (`ParseQuantity`, `MilliValue`, `Value`):
//! - the grammar `<sign>?<digits>[.<digits>]<suffix>`, suffixes `n u m "" k M G T P E`,
//!   `Ki Mi Gi Ti Pi Ei` and `e<int>`/`E<int>`; no whitespace, `""` is an error;
//! - a parsed value is rounded up (away from zero) to a whole nano, so no amount asked for
//!   becomes nothing ("if you want some resources, you should get some resources");
//! - values its arbitrary-precision path reads (long mantissas, binary suffixes on large or
//!   fractional numbers) are capped at 2^63-1; the int64 fast path is not capped;
//! - `MilliValue` and `Value` round up (away from zero), never truncate.
//!
//! The one deviation: a value whose digits cannot be held exactly in 128 bits after scaling
//! (some 20+ digit mantissas with a fraction and an `Ei`/`Pi` suffix) is an error here where
//! apimachinery's arbitrary-precision path reads it; no real request is written that way.
//!
//! Spark's own size strings (`4g`, `512m` meaning MiB) are another grammar: see
//! `resolve::units`.

/// 10^9: a quantity is held in nano-units.
const NANO: i128 = 1_000_000_000;
/// apimachinery's `maxAllowed`: 2^63-1 units.
const MAX_UNITS: i128 = i64::MAX as i128;

/// A parsed quantity, exactly, in nano-units (rounded up to a nano as the API server does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Quantity {
    nano: i128,
}

/// Why a string is not a quantity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantityError(pub String);

impl std::fmt::Display for QuantityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Quantity {
    /// Parses `s` as `resource.ParseQuantity` does.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        let bad = || QuantityError(format!("'{s}' is not a Kubernetes quantity"));
        if s.is_empty() {
            return Err(bad());
        }
        let (negative, rest) = match s.as_bytes()[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let int_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int, rest) = rest.split_at(int_end);
        let (frac, suffix) = match rest.strip_prefix('.') {
            Some(after) => {
                let end = after
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(after.len());
                after.split_at(end)
            }
            None => ("", rest),
        };
        // (power of two, power of ten) of the suffix: the decimal prefixes step by 10^3 from n
        // (10^-9) to E (10^18), the binary ones by 2^10 from Ki to Ei.
        const DECIMAL: [&str; 10] = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
        const BINARY: [&str; 6] = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        let at = |list: &[&str]| list.iter().position(|x| *x == suffix);
        let (pow2, pow10): (u32, i64) = if let Some(i) = at(&DECIMAL) {
            (0, 3 * i as i64 - 9)
        } else if let Some(i) = at(&BINARY) {
            (10 * (i as u32 + 1), 0)
        } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            // apimachinery reads the exponent as an int32.
            (0, i64::from(exp.parse::<i32>().map_err(|_| bad())?))
        } else {
            return Err(bad());
        };
        // apimachinery's fast path holds the value exactly in an int64 and never caps it; its
        // slow path (inf.Dec) rounds up to a nano and caps at 2^63-1. Which path a string takes
        // follows its digit counts, as ParseQuantity decides it.
        let num_len = int.trim_start_matches('0').len().max(1) as i64;
        let fast = if pow2 == 0 {
            18 - (num_len + frac.len() as i64) >= 0 && pow10 - frac.len() as i64 >= -9
        } else {
            let precision = 15 - num_len - i64::from(pow2 * 3 / 10) - 1;
            frac.is_empty()
                && precision >= 0
                && int
                    .parse::<i64>()
                    .ok()
                    .and_then(|v| v.checked_mul(1i64 << pow2))
                    .is_some()
        };
        // The mantissa's significant digits: leading zeros and trailing fraction zeros dropped.
        let frac = frac.trim_end_matches('0');
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Ok(Quantity { nano: 0 });
        }
        // value = digits × 2^pow2 × 10^(pow10 - frac.len()); in nano: one more 10^9.
        let p10 = pow10 - frac.len() as i64 + 9;
        let too_precise = || {
            QuantityError(format!(
                "'{s}' has more digits than spark-k8s-cli reads exactly"
            ))
        };
        let exact = if digits.len() > 38 {
            if p10 >= 0 {
                i128::MAX
            } else {
                return Err(too_precise());
            }
        } else {
            let d: i128 = digits.parse().map_err(|_| bad())?;
            if p10 >= 0 {
                // Beyond i128 (about 1.7e29 units) the value saturates.
                u32::try_from(p10)
                    .ok()
                    .and_then(|p| 10i128.checked_pow(p))
                    .and_then(|m| d.checked_mul(m))
                    .and_then(|v| v.checked_mul(1i128 << pow2))
                    .unwrap_or(i128::MAX)
            } else {
                let k = u32::try_from(-p10).unwrap_or(u32::MAX);
                let n = d.checked_mul(1i128 << pow2).ok_or_else(too_precise)?;
                match 10i128.checked_pow(k) {
                    // Rounded up to a whole nano.
                    Some(div) => n / div + i128::from(n % div != 0),
                    // n < 2^127 < 10^39 ≤ 10^k: less than a nano, which rounds up to one.
                    None => 1,
                }
            }
        };
        let magnitude = if fast {
            exact
        } else {
            exact.min(MAX_UNITS * NANO)
        };
        Ok(Quantity {
            nano: if negative { -magnitude } else { magnitude },
        })
    }

    /// The value in thousandths, rounded up (away from zero): `MilliValue`.
    pub fn milli_value(self) -> i128 {
        div_away(self.nano, NANO / 1000)
    }

    /// The value in units, rounded up (away from zero): `Value`.
    pub fn value(self) -> i128 {
        div_away(self.nano, NANO)
    }

    /// Whether the quantity is below zero.
    pub fn is_negative(self) -> bool {
        self.nano < 0
    }
}

fn div_away(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d == 0 {
        q
    } else if n > 0 {
        q + 1
    } else {
        q - 1
    }
}

/// A quantity in thousandths (millicores for cpu, millibytes for memory), as the queue keeps
/// quota amounts; `None` when it is not a quantity.
pub fn milli(s: &str) -> Option<i128> {
    Quantity::parse(s.trim()).ok().map(Quantity::milli_value)
}

/// A request-like amount written in a setting: trimmed, at least one digit, not negative.
fn amount(s: &str) -> Option<Quantity> {
    let t = s.trim();
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    Quantity::parse(t).ok().filter(|q| !q.is_negative())
}

/// A CPU quantity (`2`, `0.5`, `500m`) in millicores, rounded up as the API server does.
pub fn millicores(s: &str) -> Result<u64, String> {
    amount(s)
        .and_then(|q| u64::try_from(q.milli_value()).ok())
        .ok_or_else(|| {
            format!("invalid CPU quantity '{s}': expected a number of cores like 2, 0.5 or 500m")
        })
}

/// A memory quantity (`512Mi`, `1.5Gi`, `1G`, `1073741824`) in bytes, rounded up.
pub fn memory_bytes(s: &str) -> Result<u64, String> {
    amount(s)
        .and_then(|q| u64::try_from(q.value()).ok())
        .ok_or_else(|| {
            format!("invalid memory quantity '{s}': expected a size like 512Mi, 2Gi or 1G")
        })
}

/// Renders millicores as Kubernetes would print them: whole cores plainly, else `<n>m`.
pub fn format_millicores(m: u64) -> String {
    if m.is_multiple_of(1000) {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

/// Renders bytes in the largest binary unit that divides them (`1408Mi`, `2Gi`).
pub fn format_memory(bytes: u64) -> String {
    for (suffix, shift) in [("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] {
        if bytes != 0 && bytes.is_multiple_of(1u64 << shift) {
            return format!("{}{}", bytes >> shift, suffix);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests;
