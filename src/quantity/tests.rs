//! Cases ported from k8s.io/apimachinery/pkg/api/resource/quantity_test.go
//! (`TestQuantityParse`, `TestQuantityRoundUp`, `TestQuantityParseEmit`), read in
//! kubernetes/apimachinery at 357557a670d84c30ef3b5355f02c11d8aba5a941.

use super::*;

/// apimachinery's `decQuantity(m, e)`: m × 10^e, here in nano-units.
fn dec(m: i128, e: i32) -> i128 {
    let p = e + 9;
    if p >= 0 {
        m * 10i128.pow(p as u32)
    } else {
        m / 10i128.pow((-p) as u32)
    }
}

fn nano(s: &str) -> i128 {
    Quantity::parse(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .nano
}

/// A whole number as the table writes it: digits, `a * b` or `a << b`.
fn int(cell: &str) -> i128 {
    if let Some((a, b)) = cell.split_once("<<") {
        return int(a) << int(b);
    }
    if let Some((a, b)) = cell.split_once('*') {
        return int(a) * int(b);
    }
    cell.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{cell}: {e}"))
}

const MAX: i128 = (i64::MAX as i128) * NANO;

#[test]
fn parses_as_apimachinery() {
    // The input | apimachinery's decQuantity(m, e): m | e; or `max`, maxAllowed.
    let table = crate::tests::rows(
        r#"
        0                     | 0            | 0
        0n                    | 0            | 0
        0u                    | 0            | 0
        0m                    | 0            | 0
        0Ki                   | 0            | 0
        0k                    | 0            | 0
        0Mi                   | 0            | 0
        0M                    | 0            | 0
        0Gi                   | 0            | 0
        0G                    | 0            | 0
        0Ti                   | 0            | 0
        0T                    | 0            | 0
        1                     | 1            | 0
        // Binary suffixes
        1Ki                   | 1024         | 0
        8Ki                   | 8 * 1024     | 0
        7Mi                   | 7 << 20      | 0
        6Gi                   | 6 << 30      | 0
        5Ti                   | 5 << 40      | 0
        4Pi                   | 4 << 50      | 0
        3Ei                   | 3 << 60      | 0
        10Ti                  | 10 << 40     | 0
        100Ti                 | 100 << 40    | 0
        // Decimal suffixes
        5n                    | 5            | -9
        4u                    | 4            | -6
        3m                    | 3            | -3
        9                     | 9            | 0
        8k                    | 8            | 3
        50k                   | 5            | 4
        7M                    | 7            | 6
        6G                    | 6            | 9
        5T                    | 5            | 12
        40T                   | 4            | 13
        300T                  | 3            | 14
        2P                    | 2            | 15
        1E                    | 1            | 18
        // Decimal exponents
        1E-3                  | 1            | -3
        1e3                   | 1            | 3
        1E6                   | 1            | 6
        1e9                   | 1            | 9
        1E12                  | 1            | 12
        1e15                  | 1            | 15
        1E18                  | 1            | 18
        1e14                  | 1            | 14
        1e13                  | 1            | 13
        100.035k              | 100035       | 0
        // Things that look like floating point
        0.001                 | 1            | -3
        0.0005k               | 5            | -1
        0.005                 | 5            | -3
        0.05                  | 5            | -2
        0.5                   | 5            | -1
        0.00050k              | 5            | -1
        0.00500               | 5            | -3
        0.05000               | 5            | -2
        0.50000               | 5            | -1
        0.5e0                 | 5            | -1
        0.5e-1                | 5            | -2
        0.5e-2                | 5            | -3
        10.035M               | 10035        | 3
        1.2e3                 | 12           | 2
        1.3E+6                | 13           | 5
        1.40e9                | 14           | 8
        1.53E12               | 153          | 10
        1.6e15                | 16           | 14
        1.7E18                | 17           | 17
        9.01                  | 901          | -2
        8.1k                  | 81           | 2
        7.123456M             | 7123456      | 0
        6.987654321G          | 6987654321   | 0
        5.444T                | 5444         | 9
        40.1T                 | 401          | 11
        300.2T                | 3002         | 11
        2.5P                  | 25           | 14
        1.01E                 | 101          | 16
        // Things that saturate/round
        3.001n                | 4            | -9
        1.1E-9                | 2            | -9
        0.0000000001          | 1            | -9
        0.0000000005          | 1            | -9
        0.00000000050         | 1            | -9
        0.5e-9                | 1            | -9
        0.9n                  | 1            | -9
        0.00000012345         | 124          | -9
        0.00000012354         | 124          | -9
        9Ei                   | max
        9223372036854775807Ki | max
        12E                   | 12           | 18
        // Fractional binary amounts
        100.035Ki             | 10243584     | -2
        0.5Mi                 | 512 * 1024   | 0
        0.05Gi                | 536870912    | -1
        0.025Ti               | 274877906944 | -1
        // "Things written by trolls"
        0.000000000001Ki      | 2            | -9
        .001                  | 1            | -3
        .0001k                | 100          | -3
        1.                    | 1            | 0
        1.G                   | 1            | 9
        "#,
    );
    for row in &table {
        let want = match row[..] {
            [_, "max"] => MAX,
            [_, m, e] => dec(int(m), e.parse().unwrap()),
            _ => panic!("{row:?}: an input and its value"),
        };
        let input = row[0];
        assert_eq!(nano(input), want, "{input}");
        // apimachinery runs the table again with a leading '-' and a leading '+'.
        assert_eq!(nano(&format!("-{input}")), -want, "-{input}");
        assert_eq!(nano(&format!("+{input}")), want, "+{input}");
    }
}

#[test]
fn rejects_what_apimachinery_rejects() {
    for bad in [
        "", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1",
        "1 ",
    ] {
        assert!(Quantity::parse(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn milli_value_and_value_round_up() {
    // TestQuantityRoundUp: 9.01 rounded up to units is 10, -9.01 is -10 (away from zero).
    assert_eq!(Quantity::parse("9.01").unwrap().value(), 10);
    assert_eq!(Quantity::parse("-9.01").unwrap().value(), -10);
    assert_eq!(Quantity::parse("9.01").unwrap().milli_value(), 9010);
    // TestQuantityParseEmit: .001Ki is 1024m.
    assert_eq!(Quantity::parse(".001Ki").unwrap().milli_value(), 1024);
    // Below a milli rounds up, never down to nothing: the old queue parser truncated these.
    for (input, want) in [
        ("0.5m", 1),
        ("500m", 500),
        ("2", 2000),
        ("1.5", 1500),
        ("1.0001", 1001),
        ("100u", 1),
        ("1Gi", 1000 << 30),
        ("1.5Gi", 1500 << 30),
        ("4k", 4_000_000),
        ("1e3", 1_000_000),
    ] {
        assert_eq!(milli(input), Some(want), "{input}");
    }
    for bad in ["x", "1Zi"] {
        assert_eq!(milli(bad), None, "{bad}");
    }
}

#[test]
fn settings_amounts() {
    for (input, want) in [
        ("1", 1000),
        ("0.5", 500),
        (".25", 250),
        ("500m", 500),
        ("1.0001", 1001),
        (" 2 ", 2000),
    ] {
        assert_eq!(millicores(input), Ok(want), "{input}");
    }
    for bad in ["-1", "one", "m", "."] {
        assert!(millicores(bad).is_err(), "{bad}");
    }
    for (input, want) in [
        ("512Mi", 512 << 20),
        ("1G", 1_000_000_000),
        ("1.5Gi", 3 << 29),
        ("1m", 1),
    ] {
        assert_eq!(memory_bytes(input), Ok(want), "{input}");
    }
    // Spark's JVM size `1g` is not a Kubernetes quantity.
    assert!(memory_bytes("1g").is_err());
    assert!(
        memory_bytes("lots")
            .unwrap_err()
            .contains("invalid memory quantity 'lots'")
    );
    for (m, text) in [(2000, "2"), (500, "500m")] {
        assert_eq!(format_millicores(m), text);
    }
    for (bytes, text) in [(1408 << 20, "1408Mi"), (2 << 30, "2Gi"), (1000, "1000")] {
        assert_eq!(format_memory(bytes), text);
    }
}
