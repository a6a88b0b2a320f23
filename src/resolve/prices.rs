//! The price table (`prices` in the launcher config, pure): what a core-hour and a GiB-hour
//! cost, by default and per cluster of the fleet. Parsed and checked here once; `follow` and
//! `list` multiply what a job used by it.

use std::collections::BTreeMap;

/// What one core-hour and one GiB-hour of requests cost on a cluster.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Price {
    /// Per core requested for an hour.
    #[serde(default)]
    pub core_hour: f64,
    /// Per GiB of memory requested for an hour.
    #[serde(default)]
    pub gib_hour: f64,
    /// Written after the amount (`USD`, `EUR`, `credits`); none by default.
    #[serde(default)]
    pub currency: Option<String>,
}

/// `prices`: a default and the fleet's clusters by name.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    #[serde(default)]
    pub default: Option<Price>,
    #[serde(default)]
    pub clusters: BTreeMap<String, Price>,
}

impl Prices {
    /// Parses the `prices` setting (JSON or YAML as JSON) and checks it: every amount a
    /// number, 0 or more.
    pub fn parse(json: &str) -> Result<Prices, String> {
        let prices: Prices = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let named = prices.default.iter().map(|p| ("default".to_string(), p));
        let clusters = prices
            .clusters
            .iter()
            .map(|(n, p)| (format!("clusters.{n}"), p));
        for (at, p) in named.chain(clusters) {
            for (field, v) in [("coreHour", p.core_hour), ("gibHour", p.gib_hour)] {
                if !v.is_finite() || v < 0.0 {
                    return Err(format!(
                        "{at}.{field} is {v}; a price is a number, 0 or more"
                    ));
                }
            }
        }
        Ok(prices)
    }

    /// The price on cluster `name` (a fleet member's name): its own, else the default.
    pub fn for_cluster(&self, name: &str) -> Option<&Price> {
        self.clusters.get(name).or(self.default.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_has_its_own_price_else_the_default() {
        let p = Prices::parse(
            r#"{"default": {"coreHour": 0.04, "gibHour": 0.005, "currency": "USD"},
                "clusters": {"east": {"coreHour": 0.05}}}"#,
        )
        .unwrap();
        assert_eq!(p.for_cluster("east").unwrap().core_hour, 0.05);
        assert_eq!(p.for_cluster("east").unwrap().gib_hour, 0.0);
        assert_eq!(p.for_cluster("east").unwrap().currency, None);
        let d = p.for_cluster("west").unwrap();
        assert_eq!((d.core_hour, d.currency.as_deref()), (0.04, Some("USD")));
        assert_eq!(Prices::default().for_cluster("east"), None);
    }

    #[test]
    fn prices_are_numbers_zero_or_more() {
        let e = Prices::parse(r#"{"clusters": {"east": {"gibHour": -1}}}"#).unwrap_err();
        assert!(e.contains("clusters.east.gibHour is -1"), "{e}");
        let e = Prices::parse(r#"{"default": {"coreHour": "cheap"}}"#).unwrap_err();
        assert!(e.contains("invalid type"), "{e}");
        let e = Prices::parse(r#"{"default": {"coreHours": 1}}"#).unwrap_err();
        assert!(e.contains("unknown field `coreHours`"), "{e}");
        let e = Prices::parse(r#"{"east": {"coreHour": 1}}"#).unwrap_err();
        assert!(e.contains("unknown field `east`"), "{e}");
        assert!(Prices::parse(r#"{"default": {"coreHour": 0}}"#).is_ok());
    }
}
