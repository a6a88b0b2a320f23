//! Latency profiles for the simulated scheduler and kubelet: `instant` (every step at once, the
//! default, so tests stay fast) or `realistic`, where scheduling, image pulls (per node per image:
//! the first pull slow, a cached image fast), container start, the submit pod's JVM
//! spark-submit start-up and a Spark shell's start-up each take a time drawn from a log-normal distribution given by its
//! median and 95th percentile, from a seeded generator (the same seed, the same draws).
//! The defaults and where they come from are in `docs/kubesim.md` ("Latency profiles").

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The 95th percentile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;

/// A log-normal distribution given by its median and 95th percentile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dist {
    pub median: Duration,
    pub p95: Duration,
}

impl Dist {
    pub const fn ms(median: u64, p95: u64) -> Dist {
        Dist {
            median: Duration::from_millis(median),
            p95: Duration::from_millis(p95),
        }
    }

    /// The value at the standard normal deviate `z`: `median · (p95/median)^(z/1.645)`.
    pub fn at(&self, z: f64) -> Duration {
        let m = self.median.as_secs_f64();
        if m <= 0.0 {
            return Duration::ZERO;
        }
        let sigma = (self.p95.as_secs_f64().max(m) / m).ln() / Z95;
        Duration::from_secs_f64((m * (sigma * z).exp()).min(86_400.0))
    }

    /// One draw.
    pub fn sample(&self, rng: &mut Rng) -> Duration {
        self.at(rng.normal())
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014):
/// small, seeded, and good enough for latencies.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so its logarithm is finite.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// The realistic profile's settings; each field can be overridden in the config file.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub seed: u64,
    /// Pod created → bound to a node.
    pub scheduling: Dist,
    /// The first pull of an image on a node.
    pub image_pull: Dist,
    /// A pull of an image the node already has (`imagePullPolicy: Always`; with `IfNotPresent`
    /// the kubelet does not pull at all: "already present on machine").
    pub image_pull_cached: Dist,
    /// Image pulled → container running (create and start by the runtime).
    pub container_start: Dist,
    /// Container running → the JVM spark-submit's first request (its start-up).
    pub spark_submit_jvm: Dist,
    /// A Spark shell's start, until its banner (`spark-shell`, `pyspark`, `spark-sql`: the JVM,
    /// the SparkContext and the interpreter).
    pub shell_jvm: Dist,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            seed: 1,
            scheduling: Dist::ms(10, 20),
            image_pull: Dist::ms(16_000, 40_000),
            image_pull_cached: Dist::ms(400, 1_200),
            container_start: Dist::ms(200, 650),
            spark_submit_jvm: Dist::ms(4_700, 5_500),
            shell_jvm: Dist::ms(13_500, 21_000),
        }
    }
}

/// What one pull of an image on a node costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pull {
    /// Waiting for a pull of the same image on the same node already under way.
    pub waiting: Duration,
    /// The pull itself.
    pub pulling: Duration,
    /// Whether the node had (or was already fetching) the image.
    pub cached: bool,
}

/// A profile in use: its generator and the images each node holds (or is pulling, until when).
#[derive(Debug)]
pub struct Latency {
    pub profile: Profile,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rng: Rng,
    /// (node, image) → when its first pull ends.
    images: HashMap<(String, String), Instant>,
}

impl Latency {
    pub fn new(profile: Profile) -> Latency {
        Latency {
            state: Mutex::new(State {
                rng: Rng::new(profile.seed),
                images: HashMap::new(),
            }),
            profile,
        }
    }

    fn draw(&self, d: Dist) -> Duration {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        d.sample(&mut st.rng)
    }

    pub fn scheduling(&self) -> Duration {
        self.draw(self.profile.scheduling)
    }

    pub fn container_start(&self) -> Duration {
        self.draw(self.profile.container_start)
    }

    pub fn spark_submit_jvm(&self) -> Duration {
        self.draw(self.profile.spark_submit_jvm)
    }

    pub fn shell_jvm(&self) -> Duration {
        self.draw(self.profile.shell_jvm)
    }

    /// Whether `node` has `image`, or is pulling it.
    pub fn present(&self, node: &str, image: &str) -> bool {
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.images
            .contains_key(&(node.to_string(), image.to_string()))
    }

    /// A pull of `image` on `node` starting at `now`: the first is slow; one that starts while
    /// the first is under way waits for it (containerd fetches each layer once), then costs what
    /// a cached pull costs.
    pub fn pull(&self, node: &str, image: &str, now: Instant) -> Pull {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let key = (node.to_string(), image.to_string());
        match st.images.get(&key).copied() {
            Some(ready) => Pull {
                waiting: ready.saturating_duration_since(now),
                pulling: self.profile.image_pull_cached.sample(&mut st.rng),
                cached: true,
            },
            None => {
                let pulling = self.profile.image_pull.sample(&mut st.rng);
                st.images.insert(key, now + pulling);
                Pull {
                    waiting: Duration::ZERO,
                    pulling,
                    cached: false,
                }
            }
        }
    }
}

/// Go's `time.Duration.String` for a duration truncated to milliseconds, as the kubelet prints
/// pull times (`512ms`, `1.234s`, `1m5.2s`, `0s`).
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let mut secs = format!("{s}");
    if frac > 0 {
        let f = format!("{frac:03}");
        secs.push('.');
        secs.push_str(f.trim_end_matches('0'));
    }
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// A stable, made-up compressed size for an image (100 MB to 1 GB, from its name), for the
/// kubelet's "Image size: N bytes." (kubesim has no registry to ask).
pub fn image_size(image: &str) -> u64 {
    let h = image.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    100_000_000 + h % 900_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_seeded_and_uniform() {
        let draws = |seed| {
            let mut r = Rng::new(seed);
            (0..5).map(|_| r.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let mut r = Rng::new(3);
        let u: Vec<f64> = (0..20_000).map(|_| r.uniform()).collect();
        assert!(u.iter().all(|x| *x > 0.0 && *x <= 1.0));
        let mean = u.iter().sum::<f64>() / u.len() as f64;
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
    }

    #[test]
    fn normal_deviates_have_the_standard_quantiles() {
        let mut r = Rng::new(42);
        let mut z: Vec<f64> = (0..40_000).map(|_| r.normal()).collect();
        z.sort_by(f64::total_cmp);
        let q = |p: f64| z[(p * z.len() as f64) as usize];
        assert!(q(0.5).abs() < 0.03, "median {}", q(0.5));
        assert!((q(0.95) - Z95).abs() < 0.05, "p95 {}", q(0.95));
        assert!((q(0.05) + Z95).abs() < 0.05, "p5 {}", q(0.05));
    }

    #[test]
    fn a_distribution_has_its_median_and_p95() {
        let d = Dist::ms(4_500, 5_500);
        assert_eq!(d.at(0.0), Duration::from_millis(4_500));
        let p95 = d.at(Z95).as_secs_f64();
        assert!((p95 - 5.5).abs() < 1e-6, "{p95}");
        let mut r = Rng::new(9);
        let mut v: Vec<Duration> = (0..20_000).map(|_| d.sample(&mut r)).collect();
        v.sort();
        let q = |p: f64| v[(p * v.len() as f64) as usize].as_secs_f64();
        assert!((q(0.5) - 4.5).abs() < 0.05, "median {}", q(0.5));
        assert!((q(0.95) - 5.5).abs() < 0.08, "p95 {}", q(0.95));
        assert!(v.iter().all(|x| *x > Duration::ZERO));
        // Degenerate settings: no spread, or nothing at all.
        assert_eq!(Dist::ms(30, 30).at(2.0), Duration::from_millis(30));
        assert_eq!(Dist::ms(30, 10).at(-2.0), Duration::from_millis(30));
        assert_eq!(Dist::ms(0, 0).at(1.0), Duration::ZERO);
    }

    #[test]
    fn the_first_pull_on_a_node_is_slow_and_later_ones_wait_for_it() {
        let profile = Profile {
            image_pull: Dist::ms(10_000, 10_000),
            image_pull_cached: Dist::ms(100, 100),
            ..Profile::default()
        };
        let l = Latency::new(profile);
        let t0 = Instant::now();
        assert!(!l.present("n1", "spark:4"));
        let first = l.pull("n1", "spark:4", t0);
        assert_eq!(
            (first.waiting, first.pulling, first.cached),
            (Duration::ZERO, Duration::from_secs(10), false)
        );
        assert!(l.present("n1", "spark:4"));
        // Three seconds later the same image on the same node waits for the first pull.
        let during = l.pull("n1", "spark:4", t0 + Duration::from_secs(3));
        assert_eq!(
            (during.waiting, during.pulling, during.cached),
            (Duration::from_secs(7), Duration::from_millis(100), true)
        );
        let after = l.pull("n1", "spark:4", t0 + Duration::from_secs(60));
        assert_eq!(after.waiting, Duration::ZERO);
        assert!(after.cached);
        // Another node, or another image, pulls again.
        assert!(!l.pull("n2", "spark:4", t0).cached);
        assert!(!l.pull("n1", "spark:5", t0).cached);
    }

    #[test]
    fn the_same_seed_draws_the_same_latencies() {
        let run = |seed| {
            let l = Latency::new(Profile {
                seed,
                ..Profile::default()
            });
            (0..4)
                .map(|_| (l.scheduling(), l.container_start(), l.spark_submit_jvm()))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn durations_print_as_go_prints_them() {
        let ms = Duration::from_millis;
        assert_eq!(go_duration(ms(0)), "0s");
        assert_eq!(go_duration(Duration::from_micros(900)), "0s");
        assert_eq!(go_duration(ms(512)), "512ms");
        assert_eq!(go_duration(ms(1_234)), "1.234s");
        assert_eq!(go_duration(ms(15_980)), "15.98s");
        assert_eq!(go_duration(ms(2_000)), "2s");
        assert_eq!(go_duration(ms(65_200)), "1m5.2s");
        assert_eq!(go_duration(ms(3_600_000)), "1h0m0s");
    }

    #[test]
    fn image_sizes_are_stable_and_plausible() {
        assert_eq!(
            image_size("apache/spark:4.0.0"),
            image_size("apache/spark:4.0.0")
        );
        for i in ["a", "apache/spark:4.0.0", "busybox"] {
            assert!((100_000_000..1_000_000_000).contains(&image_size(i)));
        }
    }
}
