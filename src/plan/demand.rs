//! Demand arithmetic: the CPU and memory a job's pods request, exactly as Spark on Kubernetes sizes them.

use crate::resolve::units::{self, ByteUnit};
use crate::resolve::{DeployMode, Settings};

/// One pod's resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodDemand {
    /// CPU request in millicores.
    pub cpu_request_m: u64,
    /// CPU limit in millicores, when one is set.
    pub cpu_limit_m: Option<u64>,
    /// JVM heap (`spark.{driver,executor}.memory`), MiB; 0 for the submit pod.
    pub heap_mib: u64,
    /// Memory overhead, MiB.
    pub overhead_mib: u64,
    /// Off-heap plus PySpark worker memory (executors only), MiB.
    pub extra_mib: u64,
    /// The pod's memory request and limit, MiB.
    pub memory_mib: u64,
}

/// How many executors the job starts with, and at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecutorCount {
    pub initial: u64,
    /// `Some` under dynamic allocation with a finite `maxExecutors`.
    pub max: Option<u64>,
    pub dynamic: bool,
}

/// The whole job's demand: what the quota must hold for it to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    /// The submit pod (in client mode it hosts the driver and is sized as the driver).
    pub submit: PodDemand,
    /// The driver pod, in cluster mode.
    pub driver: Option<PodDemand>,
    pub executor: PodDemand,
    pub executors: ExecutorCount,
    /// Sum over every pod at start: submit + driver + initial executors.
    pub total_cpu_m: u64,
    pub total_memory_mib: u64,
    pub total_pods: u64,
}

/// A value that should have been checked by `resolve`; plan reports rather than panics.
#[derive(Debug, PartialEq, Eq)]
pub struct DemandError(pub String);

impl std::fmt::Display for DemandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn mib_of(s: &Settings, key: &str, default: &str) -> Result<u64, DemandError> {
    let v = s.conf(key).unwrap_or(default);
    units::mib(v)
        .ok()
        .and_then(|m| u64::try_from(m).ok())
        .ok_or_else(|| DemandError(format!("Invalid value '{v}' for {key}.")))
}

/// A number-valued property (`spark.executor.instances`, a memory factor), `None` when unset.
fn number_of<T: std::str::FromStr>(s: &Settings, key: &str) -> Result<Option<T>, DemandError> {
    s.conf(key)
        .map(|v| {
            v.trim()
                .parse::<T>()
                .map_err(|_| DemandError(format!("Invalid value '{v}' for {key}.")))
        })
        .transpose()
}

fn cores(s: &Settings, request_key: &str, cores_key: &str) -> Result<u64, DemandError> {
    if let Some(v) = s.conf(request_key) {
        return crate::quantity::millicores(v).map_err(DemandError);
    }
    let v = s.conf(cores_key).unwrap_or("1");
    v.trim()
        .parse::<u64>()
        .map(|c| c * 1000)
        .map_err(|_| DemandError(format!("Invalid value '{v}' for {cores_key}.")))
}

fn limit(s: &Settings, key: &str) -> Result<Option<u64>, DemandError> {
    s.conf(key)
        .map(|v| crate::quantity::millicores(v).map_err(DemandError))
        .transpose()
}

/// Spark's overhead: the explicit setting, else `max(trunc(factor × heap), minimum)`.
fn overhead(
    s: &Settings,
    heap_mib: u64,
    factor: f64,
    explicit_key: &str,
    min_key: &str,
) -> Result<u64, DemandError> {
    if s.conf(explicit_key).is_some() {
        return mib_of(s, explicit_key, "0");
    }
    let min = mib_of(s, min_key, "384")?;
    // Java's `(factor * mem).toInt` truncates toward zero.
    Ok(((factor * heap_mib as f64) as u64).max(min))
}

/// The driver's pod as Spark's `BasicDriverFeatureStep` sizes it.
pub fn driver(s: &Settings) -> Result<PodDemand, DemandError> {
    pod_of(s, "driver", 0)
}

/// A role's pod (`driver` or `executor`): its heap, the overhead from the role's factor (or
/// the job's default one) and minimum, `extra_mib` on top; cores as requested or limited.
fn pod_of(s: &Settings, role: &str, extra_mib: u64) -> Result<PodDemand, DemandError> {
    let key = |k: &str| format!("spark.{role}.{k}");
    let heap = mib_of(s, &key("memory"), "1g")?;
    let factor = match number_of::<f64>(s, &key("memoryOverheadFactor"))? {
        Some(f) => f,
        None => default_factor(s)?,
    };
    let overhead = overhead(
        s,
        heap,
        factor,
        &key("memoryOverhead"),
        &key("minMemoryOverhead"),
    )?;
    Ok(PodDemand {
        cpu_request_m: cores(
            s,
            &format!("spark.kubernetes.{role}.request.cores"),
            &key("cores"),
        )?,
        cpu_limit_m: limit(s, &format!("spark.kubernetes.{role}.limit.cores"))?,
        heap_mib: heap,
        overhead_mib: overhead,
        extra_mib,
        memory_mib: heap + overhead + extra_mib,
    })
}

/// `spark.kubernetes.memoryOverheadFactor` as the driver sees it: 0.4 for Python/R apps unless
/// set explicitly, 0.1 otherwise. The driver passes this value on to its executors.
fn default_factor(s: &Settings) -> Result<f64, DemandError> {
    Ok(
        match number_of::<f64>(s, "spark.kubernetes.memoryOverheadFactor")? {
            Some(f) => f,
            None if s.app_kind.is_jvm() => 0.1,
            None => 0.4,
        },
    )
}

/// An executor's pod as Spark's `BasicExecutorFeatureStep` / `ResourceProfile` size it.
pub fn executor(s: &Settings) -> Result<PodDemand, DemandError> {
    let off_heap = if s.conf_bool("spark.memory.offHeap.enabled") {
        let v = s.conf("spark.memory.offHeap.size").unwrap_or("0");
        let bytes =
            units::byte_string_as(v, ByteUnit::Byte, ByteUnit::Byte).map_err(DemandError)?;
        if bytes <= 0 {
            return Err(DemandError(
                "spark.memory.offHeap.size must be > 0 when spark.memory.offHeap.enabled == true"
                    .into(),
            ));
        }
        bytes as u64 >> 20
    } else {
        0
    };
    let pyspark = if s.app_kind == crate::resolve::AppKind::Python
        && s.conf("spark.executor.pyspark.memory").is_some()
    {
        mib_of(s, "spark.executor.pyspark.memory", "0")?
    } else {
        0
    };
    pod_of(s, "executor", off_heap + pyspark)
}

/// Executors at start: `spark.executor.instances` (default 2), or under dynamic allocation
/// Spark's `max(minExecutors, initialExecutors, instances)`.
pub fn executor_count(s: &Settings) -> Result<ExecutorCount, DemandError> {
    let instances = number_of::<u64>(s, "spark.executor.instances")?;
    if !s.dynamic_allocation() {
        return Ok(ExecutorCount {
            initial: instances.unwrap_or(2),
            max: None,
            dynamic: false,
        });
    }
    let min = number_of::<u64>(s, "spark.dynamicAllocation.minExecutors")?.unwrap_or(0);
    let initial = number_of::<u64>(s, "spark.dynamicAllocation.initialExecutors")?.unwrap_or(min);
    let max = number_of::<u64>(s, "spark.dynamicAllocation.maxExecutors")?;
    let start = min.max(initial).max(instances.unwrap_or(0));
    if let Some(m) = max
        && start > m
    {
        return Err(DemandError(format!(
            "Dynamic allocation starts {start} executors but spark.dynamicAllocation.maxExecutors is {m}."
        )));
    }
    Ok(ExecutorCount {
        initial: start,
        max,
        dynamic: true,
    })
}

/// The submit pod in cluster mode, from the launcher settings.
fn submit_pod(s: &Settings) -> Result<PodDemand, DemandError> {
    let pod = s.submit_pod();
    let (cpu, limit, bytes) = (pod.cpu_m, pod.cpu_limit_m, pod.memory_bytes);
    let mib = bytes.div_ceil(1 << 20);
    Ok(PodDemand {
        cpu_request_m: cpu,
        cpu_limit_m: limit,
        heap_mib: 0,
        overhead_mib: 0,
        extra_mib: 0,
        memory_mib: mib,
    })
}

/// The job's full demand.
pub fn demand(s: &Settings) -> Result<Demand, DemandError> {
    let executor = executor(s)?;
    let executors = executor_count(s)?;
    let (submit, driver) = match s.deploy_mode {
        DeployMode::Cluster => (submit_pod(s)?, Some(driver(s)?)),
        DeployMode::Client => (driver(s)?, None),
    };
    Ok(Demand::of(submit, driver, executor, executors))
}

impl Demand {
    /// The demand of these pods, with its totals.
    fn of(
        submit: PodDemand,
        driver: Option<PodDemand>,
        executor: PodDemand,
        executors: ExecutorCount,
    ) -> Demand {
        let total_cpu_m = submit.cpu_request_m
            + driver.map_or(0, |d| d.cpu_request_m)
            + executors.initial * executor.cpu_request_m;
        let total_memory_mib = submit.memory_mib
            + driver.map_or(0, |d| d.memory_mib)
            + executors.initial * executor.memory_mib;
        Demand {
            submit,
            driver,
            executor,
            executors,
            total_cpu_m,
            total_memory_mib,
            total_pods: 1 + u64::from(driver.is_some()) + executors.initial,
        }
    }

    /// A cluster-mode job without its submit pod (direct mode): the driver is the one pod the
    /// launcher creates, in the submit pod's place, as in client mode.
    pub fn without_submit_pod(&self) -> Demand {
        match self.driver {
            Some(d) => Demand::of(d, None, self.executor, self.executors),
            None => self.clone(),
        }
    }
}

/// The demand as a table for stderr (dry run, `--verbose`).
pub fn table(d: &Demand) -> String {
    let cpu = |p: &PodDemand| {
        let mut s = crate::quantity::format_millicores(p.cpu_request_m);
        if let Some(l) = p.cpu_limit_m {
            s.push_str(&format!(
                " (limit {})",
                crate::quantity::format_millicores(l)
            ));
        }
        s
    };
    let mut rows: Vec<(String, String, String, String, String)> = Vec::new();
    let mem = |p: &PodDemand| format!("{}Mi", p.memory_mib);
    let detail = |p: &PodDemand| {
        if p.heap_mib == 0 {
            "-".to_string()
        } else if p.extra_mib > 0 {
            format!("{} + {} + {}", p.heap_mib, p.overhead_mib, p.extra_mib)
        } else {
            format!("{} + {}", p.heap_mib, p.overhead_mib)
        }
    };
    let submit_name = if d.driver.is_some() {
        "submit pod"
    } else {
        "submit pod (driver)"
    };
    rows.push((
        submit_name.into(),
        "1".into(),
        cpu(&d.submit),
        mem(&d.submit),
        detail(&d.submit),
    ));
    if let Some(dr) = &d.driver {
        rows.push(("driver".into(), "1".into(), cpu(dr), mem(dr), detail(dr)));
    }
    let count = match (d.executors.dynamic, d.executors.max) {
        (false, _) => d.executors.initial.to_string(),
        (true, Some(m)) => format!("{} (dynamic, max {m})", d.executors.initial),
        (true, None) => format!("{} (dynamic, no max)", d.executors.initial),
    };
    rows.push((
        "executor".into(),
        count,
        cpu(&d.executor),
        mem(&d.executor),
        detail(&d.executor),
    ));
    rows.push((
        "total".into(),
        format!("{} pods", d.total_pods),
        crate::quantity::format_millicores(d.total_cpu_m),
        format!("{}Mi", d.total_memory_mib),
        String::new(),
    ));
    let mut out = format!(
        "{:<20} {:>20} {:>16} {:>10}  {}\n",
        "pod", "count", "cpu request", "memory", "heap + overhead (+ extra) MiB"
    );
    for (a, b, c, e, f) in rows {
        out.push_str(&format!("{a:<20} {b:>20} {c:>16} {e:>10}  {f}\n"));
    }
    out
}
