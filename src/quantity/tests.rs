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

const MAX: i128 = (i64::MAX as i128) * NANO;

#[test]
fn parses_as_apimachinery() {
    let table: &[(&str, i128)] = &[
        ("0", 0),
        ("0n", 0),
        ("0u", 0),
        ("0m", 0),
        ("0Ki", 0),
        ("0k", 0),
        ("0Mi", 0),
        ("0M", 0),
        ("0Gi", 0),
        ("0G", 0),
        ("0Ti", 0),
        ("0T", 0),
        ("1", dec(1, 0)),
        // Binary suffixes
        ("1Ki", dec(1024, 0)),
        ("8Ki", dec(8 * 1024, 0)),
        ("7Mi", dec(7 << 20, 0)),
        ("6Gi", dec(6 << 30, 0)),
        ("5Ti", dec(5 << 40, 0)),
        ("4Pi", dec(4 << 50, 0)),
        ("3Ei", dec(3 << 60, 0)),
        ("10Ti", dec(10 << 40, 0)),
        ("100Ti", dec(100 << 40, 0)),
        // Decimal suffixes
        ("5n", dec(5, -9)),
        ("4u", dec(4, -6)),
        ("3m", dec(3, -3)),
        ("9", dec(9, 0)),
        ("8k", dec(8, 3)),
        ("50k", dec(5, 4)),
        ("7M", dec(7, 6)),
        ("6G", dec(6, 9)),
        ("5T", dec(5, 12)),
        ("40T", dec(4, 13)),
        ("300T", dec(3, 14)),
        ("2P", dec(2, 15)),
        ("1E", dec(1, 18)),
        // Decimal exponents
        ("1E-3", dec(1, -3)),
        ("1e3", dec(1, 3)),
        ("1E6", dec(1, 6)),
        ("1e9", dec(1, 9)),
        ("1E12", dec(1, 12)),
        ("1e15", dec(1, 15)),
        ("1E18", dec(1, 18)),
        ("1e14", dec(1, 14)),
        ("1e13", dec(1, 13)),
        ("100.035k", dec(100035, 0)),
        // Things that look like floating point
        ("0.001", dec(1, -3)),
        ("0.0005k", dec(5, -1)),
        ("0.005", dec(5, -3)),
        ("0.05", dec(5, -2)),
        ("0.5", dec(5, -1)),
        ("0.00050k", dec(5, -1)),
        ("0.00500", dec(5, -3)),
        ("0.05000", dec(5, -2)),
        ("0.50000", dec(5, -1)),
        ("0.5e0", dec(5, -1)),
        ("0.5e-1", dec(5, -2)),
        ("0.5e-2", dec(5, -3)),
        ("10.035M", dec(10035, 3)),
        ("1.2e3", dec(12, 2)),
        ("1.3E+6", dec(13, 5)),
        ("1.40e9", dec(14, 8)),
        ("1.53E12", dec(153, 10)),
        ("1.6e15", dec(16, 14)),
        ("1.7E18", dec(17, 17)),
        ("9.01", dec(901, -2)),
        ("8.1k", dec(81, 2)),
        ("7.123456M", dec(7123456, 0)),
        ("6.987654321G", dec(6987654321, 0)),
        ("5.444T", dec(5444, 9)),
        ("40.1T", dec(401, 11)),
        ("300.2T", dec(3002, 11)),
        ("2.5P", dec(25, 14)),
        ("1.01E", dec(101, 16)),
        // Things that saturate/round
        ("3.001n", dec(4, -9)),
        ("1.1E-9", dec(2, -9)),
        ("0.0000000001", dec(1, -9)),
        ("0.0000000005", dec(1, -9)),
        ("0.00000000050", dec(1, -9)),
        ("0.5e-9", dec(1, -9)),
        ("0.9n", dec(1, -9)),
        ("0.00000012345", dec(124, -9)),
        ("0.00000012354", dec(124, -9)),
        ("9Ei", MAX),
        ("9223372036854775807Ki", MAX),
        ("12E", dec(12, 18)),
        // Fractional binary amounts
        ("100.035Ki", dec(10243584, -2)),
        ("0.5Mi", dec(512 * 1024, 0)),
        ("0.05Gi", dec(536870912, -1)),
        ("0.025Ti", dec(274877906944, -1)),
        // "Things written by trolls"
        ("0.000000000001Ki", dec(2, -9)),
        (".001", dec(1, -3)),
        (".0001k", dec(100, -3)),
        ("1.", dec(1, 0)),
        ("1.G", dec(1, 9)),
    ];
    for (input, want) in table {
        assert_eq!(nano(input), *want, "{input}");
        // apimachinery runs the table again with a leading '-' and a leading '+'.
        assert_eq!(nano(&format!("-{input}")), -*want, "-{input}");
        assert_eq!(nano(&format!("+{input}")), *want, "+{input}");
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
    assert_eq!(milli("0.5m"), Some(1));
    assert_eq!(milli("500m"), Some(500));
    assert_eq!(milli("2"), Some(2000));
    assert_eq!(milli("1.5"), Some(1500));
    assert_eq!(milli("1.0001"), Some(1001));
    assert_eq!(milli("100u"), Some(1));
    assert_eq!(milli("1Gi"), Some(1000 << 30));
    assert_eq!(milli("1.5Gi"), Some(1500 << 30));
    assert_eq!(milli("4k"), Some(4_000_000));
    assert_eq!(milli("1e3"), Some(1_000_000));
    assert_eq!(milli("x"), None);
    assert_eq!(milli("1Zi"), None);
}

#[test]
fn settings_amounts() {
    assert_eq!(millicores("1"), Ok(1000));
    assert_eq!(millicores("0.5"), Ok(500));
    assert_eq!(millicores(".25"), Ok(250));
    assert_eq!(millicores("500m"), Ok(500));
    assert_eq!(millicores("1.0001"), Ok(1001));
    assert_eq!(millicores(" 2 "), Ok(2000));
    assert!(millicores("-1").is_err());
    assert!(millicores("one").is_err());
    assert!(millicores("m").is_err());
    assert!(millicores(".").is_err());
    assert_eq!(memory_bytes("512Mi"), Ok(512 << 20));
    assert_eq!(memory_bytes("1G"), Ok(1_000_000_000));
    assert_eq!(memory_bytes("1.5Gi"), Ok(3 << 29));
    assert_eq!(memory_bytes("1m"), Ok(1));
    // Spark's JVM size `1g` is not a Kubernetes quantity.
    assert!(memory_bytes("1g").is_err());
    assert!(
        memory_bytes("lots")
            .unwrap_err()
            .contains("invalid memory quantity 'lots'")
    );
    assert_eq!(format_millicores(2000), "2");
    assert_eq!(format_millicores(500), "500m");
    assert_eq!(format_memory(1408 << 20), "1408Mi");
    assert_eq!(format_memory(2 << 30), "2Gi");
    assert_eq!(format_memory(1000), "1000");
}
