"""SparkPi through spark-k8s-cli, from Airflow's own SparkSubmitOperator.

The operator runs `spark-submit` from the worker's PATH: install spark-k8s-cli there with
`./install.sh --with-spark-aliases` (or set `spark_binary` below to "spark-k8s-cli"). Everything
about the cluster comes from the connection `spark_k8s` (docs/airflow.md):

    AIRFLOW_CONN_SPARK_K8S='{"conn_type": "spark", "host": "k8s://https://api.example:6443",
                             "extra": {"deploy-mode": "cluster", "namespace": "spark"}}'

and from the launcher config of the worker's user (fleet, queues, alert sinks). tests/airflow.rs
runs this very file with `airflow dags test` against kubesim.
"""

import pendulum
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG

with DAG(
    dag_id="spark_pi_on_kubernetes",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["spark-k8s-cli"],
):
    SparkSubmitOperator(
        task_id="spark_pi",
        conn_id="spark_k8s",
        # The default; "spark-k8s-cli" works too when no spark-submit alias is installed.
        spark_binary="spark-submit",
        name="spark-pi",
        java_class="org.apache.spark.examples.SparkPi",
        application="local:///opt/spark/examples/jars/spark-examples.jar",
        application_args=["100"],
        conf={
            "spark.kubernetes.container.image": "apache/spark:4.0.0",
            "spark.executor.instances": "1",
            # The submit pod's and the driver's service account (`spark-k8s-cli rbac`).
            "spark.kubernetes.authenticate.driver.serviceAccountName": "spark-k8s-cli-submit",
        },
    )
