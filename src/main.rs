//! The spark-k8s-cli binary: also spark-submit, spark-shell, pyspark and spark-sql by name.

fn main() -> std::process::ExitCode {
    spark_k8s_cli::cli::run(std::env::args().collect())
}
