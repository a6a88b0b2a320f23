//! The compatibility suite: real-world spark-submit command lines (Spark's docs and examples,
//! Kubernetes guides, Airflow's SparkSubmitHook, PySpark jobs) with the parse result Spark
//! would give, each then sent through the rendered submit pod and parsed again (round trip).
//!
//! Expectations are small strings:
//! `master=`, `mode=`, `class=`, `name=`, `resource=`, `args=a|b` (empty: `args=`), `kind=`,
//! `proxy=`, `conf:KEY=VALUE`, `noconf:KEY`, `launcher:NAME=VALUE`, `action=`, `warn=` (substring),
//! and for failures `exit=N` with `err=` (substring of stderr).

mod common;

use common::pipeline::*;
use spark_k8s_cli::parse::Action;
use spark_k8s_cli::resolve::registry::Raw;

struct Case {
    line: &'static str,
    env: &'static [(&'static str, &'static str)],
    files: &'static [(&'static str, &'static str)],
    expect: &'static [&'static str],
}

const NONE: &[(&str, &str)] = &[];
const IMG: &[(&str, &str)] = &[("SPARK_K8S_CLI_SUBMIT_IMAGE", "apache/spark:4.0.0")];
/// Spark's conf dir (`spark-defaults.conf` there) and a submit image.
const CONF_DIR: &[(&str, &str)] = &[
    ("SPARK_CONF_DIR", "/etc/spark"),
    ("SPARK_K8S_CLI_SUBMIT_IMAGE", "img"),
];
/// `spark-defaults.conf` in [`CONF_DIR`] and a job's own properties file.
const DEFAULTS_AND_ETL_CONF: &[(&str, &str)] = &[
    (
        "/etc/spark/spark-defaults.conf",
        "spark.a=default\nspark.b=default\n",
    ),
    ("/jobs/etl.conf", "spark.a=file\n"),
];

macro_rules! case {
    ($line:expr, [$($e:expr),* $(,)?]) => {
        Case { line: $line, env: IMG, files: NONE, expect: &[$($e),*] }
    };
    ($line:expr, env = $env:expr, [$($e:expr),* $(,)?]) => {
        Case { line: $line, env: $env, files: NONE, expect: &[$($e),*] }
    };
    ($line:expr, env = $env:expr, files = $files:expr, [$($e:expr),* $(,)?]) => {
        Case { line: $line, env: $env, files: $files, expect: &[$($e),*] }
    };
}

static CASES: &[Case] = &[
    // --- Spark docs: running-on-kubernetes.md ---------------------------------------------
    case!(
        "spark-submit --master k8s://https://192.168.49.2:8443 --deploy-mode cluster --name spark-pi --class org.apache.spark.examples.SparkPi --conf spark.executor.instances=5 --conf spark.kubernetes.container.image=apache/spark:3.5.1 local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar",
        [
            "master=k8s://https://192.168.49.2:8443",
            "mode=cluster",
            "name=spark-pi",
            "class=org.apache.spark.examples.SparkPi",
            "conf:spark.executor.instances=5",
            "resource=local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar",
            "args="
        ]
    ),
    case!(
        "spark-submit --master k8s://192.168.49.2:8443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi local:///opt/spark/examples/jars/spark-examples.jar 1000",
        ["master=k8s://https://192.168.49.2:8443", "args=1000"]
    ),
    case!(
        "spark-submit --master k8s://http://127.0.0.1:6443 --deploy-mode cluster --class A local:///a.jar",
        ["master=k8s://http://127.0.0.1:6443", "warn=uses HTTP"]
    ),
    case!(
        "spark-submit --master k8s://https://kubernetes.default.svc --deploy-mode cluster --name pyspark-pi --conf spark.kubernetes.container.image=apache/spark-py:v3.4.0 --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark local:///opt/spark/examples/src/main/python/pi.py 10",
        [
            "kind=python",
            "name=pyspark-pi",
            "resource=local:///opt/spark/examples/src/main/python/pi.py",
            "args=10",
            "conf:spark.kubernetes.authenticate.driver.serviceAccountName=spark"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api.example.com:443 --deploy-mode cluster --conf spark.kubernetes.namespace=spark-jobs --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark-sa --class org.apache.spark.examples.SparkPi local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.kubernetes.namespace=spark-jobs",
            "name=org.apache.spark.examples.SparkPi"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.driver.request.cores=0.5 --conf spark.kubernetes.executor.request.cores=500m --conf spark.kubernetes.executor.limit.cores=1 local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.kubernetes.driver.request.cores=0.5",
            "conf:spark.kubernetes.executor.limit.cores=1"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.driver.pod.name=my-pi-driver local:///opt/spark/examples/jars/spark-examples.jar",
        ["conf:spark.kubernetes.driver.pod.name=my-pi-driver"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.driver.label.team=data --conf spark.kubernetes.executor.annotation.owner=alice --conf spark.kubernetes.node.selector.pool=spark local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.kubernetes.driver.label.team=data",
            "conf:spark.kubernetes.executor.annotation.owner=alice",
            "conf:spark.kubernetes.node.selector.pool=spark"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.driver.secrets.spark-secret=/etc/secrets --conf spark.kubernetes.driver.secretKeyRef.ENV_NAME=name:key local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.kubernetes.driver.secrets.spark-secret=/etc/secrets",
            "conf:spark.kubernetes.driver.secretKeyRef.ENV_NAME=name:key"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName=OnDemand --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.path=/data local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName=OnDemand"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.driver.podTemplateFile=s3a://bucket/driver.yaml --conf spark.kubernetes.executor.podTemplateFile=s3a://bucket/exec.yaml local:///opt/spark/examples/jars/spark-examples.jar",
        ["conf:spark.kubernetes.driver.podTemplateFile=s3a://bucket/driver.yaml"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.dynamicAllocation.enabled=true --conf spark.dynamicAllocation.shuffleTracking.enabled=true --conf spark.dynamicAllocation.minExecutors=1 --conf spark.dynamicAllocation.maxExecutors=10 local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.dynamicAllocation.maxExecutors=10",
            "noconf:spark.executor.instances"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkPi --conf spark.kubernetes.file.upload.path=s3a://bucket/uploads --jars s3a://bucket/dep1.jar,s3a://bucket/dep2.jar local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.jars=s3a://bucket/dep1.jar,s3a://bucket/dep2.jar",
            "conf:spark.kubernetes.file.upload.path=s3a://bucket/uploads"
        ]
    ),
    case!(
        "spark-submit --status spark:spark-pi-1547948636094-driver --master k8s://https://192.168.2.8:8443",
        [
            "action=status:spark:spark-pi-1547948636094-driver",
            "master=k8s://https://192.168.2.8:8443"
        ]
    ),
    case!(
        "spark-submit --kill spark:spark-pi* --master k8s://https://192.168.2.8:8443",
        ["action=kill:spark:spark-pi*"]
    ),
    case!(
        "spark-submit --kill spark-pi-1547948636094-driver --master k8s://https://192.168.2.8:8443 --conf spark.kubernetes.appKillPodDeletionGracePeriod=5",
        [
            "action=kill:spark-pi-1547948636094-driver",
            "conf:spark.kubernetes.appKillPodDeletionGracePeriod=5"
        ]
    ),
    // --- Spark docs: submitting-applications.md ---------------------------------------------
    case!(
        "./bin/spark-submit --class org.apache.spark.examples.SparkPi --master k8s://xx.yy.zz.ww:443 --deploy-mode cluster --executor-memory 20G --num-executors 50 http://path/to/examples.jar 1000",
        [
            "master=k8s://https://xx.yy.zz.ww:443",
            "conf:spark.executor.memory=20G",
            "conf:spark.executor.instances=50",
            "resource=http://path/to/examples.jar",
            "args=1000"
        ]
    ),
    case!(
        "./bin/spark-submit --class org.apache.spark.examples.SparkPi --master k8s://xx.yy.zz.ww:443 --deploy-mode cluster --executor-memory 20G --total-executor-cores 100 http://path/to/examples.jar 1000",
        ["conf:spark.cores.max=100"]
    ),
    case!(
        "./bin/spark-submit --master k8s://xx.yy.zz.ww:443 --deploy-mode cluster --conf spark.kubernetes.container.image=apache/spark-py s3a://bucket/examples/src/main/python/pi.py 1000",
        [
            "kind=python",
            "name=pi.py",
            "resource=s3a://bucket/examples/src/main/python/pi.py",
            "args=1000"
        ]
    ),
    case!(
        "./bin/spark-submit --class org.apache.spark.examples.SparkPi --master k8s://https://xx.yy.zz.ww:443 --deploy-mode cluster --supervise --executor-memory 20G --total-executor-cores 100 local:///path/to/examples.jar 1000",
        ["warn=--supervise", "conf:spark.executor.memory=20G"]
    ),
    case!(
        "spark-submit --class <main-class> --master k8s://https://api:443 --deploy-mode cluster --conf spark.myapp.key=value <application-jar> [application-arguments]",
        [
            "class=<main-class>",
            "resource=<application-jar>",
            "args=[application-arguments]",
            "conf:spark.myapp.key=value"
        ]
    ),
    case!(
        "./bin/spark-submit --name \"My app\" --master k8s://https://api:443 --conf spark.eventLog.enabled=false --conf \"spark.executor.extraJavaOptions=-XX:+PrintGCDetails -XX:+PrintGCTimeStamps\" --class com.example.MyApp s3a://jars/myApp.jar",
        [
            "name=My app",
            "conf:spark.eventLog.enabled=false",
            "conf:spark.executor.extraJavaOptions=-XX:+PrintGCDetails -XX:+PrintGCTimeStamps"
        ]
    ),
    // --- Spark examples ---------------------------------------------------------------------
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.SparkLR local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "class=org.apache.spark.examples.SparkLR",
            "name=org.apache.spark.examples.SparkLR"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.JavaWordCount local:///opt/spark/examples/jars/spark-examples.jar s3a://data/input.txt",
        ["args=s3a://data/input.txt"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster local:///opt/spark/examples/src/main/python/wordcount.py s3a://data/input.txt",
        [
            "kind=python",
            "args=s3a://data/input.txt",
            "name=wordcount.py"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster local:///opt/spark/examples/src/main/r/dataframe.R",
        ["kind=r", "name=dataframe.R"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.sql.SparkSQLExample --driver-memory 2g --executor-memory 4g --executor-cores 2 local:///opt/spark/examples/jars/spark-examples.jar",
        [
            "conf:spark.driver.memory=2g",
            "conf:spark.executor.memory=4g",
            "conf:spark.executor.cores=2"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.examples.streaming.NetworkWordCount local:///opt/spark/examples/jars/spark-examples.jar localhost 9999",
        ["args=localhost|9999"]
    ),
    // --- Airflow SparkSubmitHook (command order of §6.2) --------------------------------------
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --conf spark.kubernetes.container.image=myrepo/spark:3.5 --conf spark.executor.instances=3 --conf spark.kubernetes.driverEnv.ENV=prod --conf spark.kubernetes.namespace=airflow --num-executors 4 --executor-cores 2 --executor-memory 3g --driver-memory 1g --name arrow-spark --class com.acme.Etl --verbose --queue root.etl --deploy-mode cluster local:///jobs/etl.jar --date 2024-01-01",
        [
            "conf:spark.executor.instances=4",
            "conf:spark.kubernetes.driverEnv.ENV=prod",
            "conf:spark.executor.cores=2",
            "name=arrow-spark",
            "launcher:queue=root.etl",
            "args=--date|2024-01-01"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --conf spark.kubernetes.container.image=myrepo/spark:3.5 --conf spark.kubernetes.namespace=airflow --name default-name --deploy-mode cluster s3a://dags/jobs/etl.py",
        [
            "name=default-name",
            "kind=python",
            "conf:spark.kubernetes.namespace=airflow"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --conf spark.kubernetes.namespace=airflow --conf spark.kubernetes.namespace=airflow --py-files s3a://dags/libs.zip,s3a://dags/util.py --name etl --queue etl --deploy-mode cluster s3a://dags/jobs/etl.py --run-date 2024-01-01 --verbose",
        [
            "conf:spark.submit.pyFiles=s3a://dags/libs.zip,s3a://dags/util.py",
            "launcher:queue=etl",
            "args=--run-date|2024-01-01|--verbose"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --conf spark.kubernetes.submission.waitAppCompletion=false --name tracked --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.kubernetes.submission.waitAppCompletion=false"]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --packages org.apache.hadoop:hadoop-aws:3.3.4,com.amazonaws:aws-java-sdk-bundle:1.12.262 --exclude-packages org.slf4j:slf4j-api --repositories https://repo.example.com/maven --name deps --deploy-mode cluster --class a.B local:///x.jar",
        [
            "conf:spark.jars.packages=org.apache.hadoop:hadoop-aws:3.3.4,com.amazonaws:aws-java-sdk-bundle:1.12.262",
            "conf:spark.jars.excludes=org.slf4j:slf4j-api",
            "conf:spark.jars.repositories=https://repo.example.com/maven"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --keytab s3a://sec/etl.keytab --principal etl@EXAMPLE.COM --deploy-mode cluster --class a.B local:///x.jar",
        [
            "conf:spark.kerberos.principal=etl@EXAMPLE.COM",
            "conf:spark.kerberos.keytab=s3a://sec/etl.keytab"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --proxy-user bob --deploy-mode cluster --class a.B local:///x.jar",
        ["proxy=bob"]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --files s3a://cfg/app.conf,s3a://cfg/log4j2.properties --archives s3a://envs/pyenv.tar.gz#environment --deploy-mode cluster local:///app/main.py",
        [
            "conf:spark.files=s3a://cfg/app.conf,s3a://cfg/log4j2.properties",
            "conf:spark.archives=s3a://envs/pyenv.tar.gz#environment"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://k8s.example.com:443 --driver-class-path /opt/extra/* --driver-java-options \"-Dlog4j.configuration=file:/opt/log4j.properties -Dfoo=bar\" --driver-library-path /opt/native --deploy-mode cluster --class a.B local:///x.jar",
        [
            "conf:spark.driver.extraClassPath=/opt/extra/*",
            "conf:spark.driver.extraJavaOptions=-Dlog4j.configuration=file:/opt/log4j.properties -Dfoo=bar",
            "conf:spark.driver.extraLibraryPath=/opt/native"
        ]
    ),
    // --- PySpark ------------------------------------------------------------------------------
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --py-files local:///app/deps.zip,local:///app/helpers.py --conf spark.pyspark.python=python3 local:///app/job.py --input s3a://in --output s3a://out",
        [
            "kind=python",
            "conf:spark.submit.pyFiles=local:///app/deps.zip,local:///app/helpers.py",
            "conf:spark.pyspark.python=python3",
            "args=--input|s3a://in|--output|s3a://out"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --conf spark.executor.pyspark.memory=512m --conf spark.kubernetes.memoryOverheadFactor=0.2 local:///app/job.py",
        [
            "conf:spark.executor.pyspark.memory=512m",
            "conf:spark.kubernetes.memoryOverheadFactor=0.2"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --archives s3a://envs/pyspark_conda_env.tar.gz#environment --conf spark.pyspark.python=./environment/bin/python local:///app/app.py",
        ["conf:spark.pyspark.python=./environment/bin/python"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode client --conf spark.kubernetes.container.image=apache/spark-py local:///app/app.py",
        ["mode=client", "kind=python"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --name \"Daily ETL (prod)\" local:///app/app.py",
        ["name=Daily ETL (prod)"]
    ),
    // --- odd spacing and = forms -------------------------------------------------------------
    case!(
        "spark-submit --master=k8s://https://api:6443 --deploy-mode=cluster --class=a.B --name=eq-form --conf=spark.a=1 local:///x.jar",
        [
            "master=k8s://https://api:6443",
            "mode=cluster",
            "class=a.B",
            "name=eq-form",
            "conf:spark.a=1"
        ]
    ),
    case!(
        "spark-submit   --master    k8s://https://api:6443   --deploy-mode   cluster   --class a.B    local:///x.jar    a    b  ",
        ["args=a|b"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster \\\n  --class a.B \\\n  --conf spark.a=x=y=z \\\n  local:///x.jar",
        ["conf:spark.a=x=y=z"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 -c spark.a=1 -c spark.b=2 --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.a=1", "conf:spark.b=2"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.a=1 --conf spark.a=2 --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.a=2"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.empty= --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.empty="]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf \"spark.driver.extraJavaOptions=-Dx=\\\"quoted value\\\"\" --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.driver.extraJavaOptions=-Dx=\"quoted value\""]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --verbose=no --deploy-mode cluster --class a.B local:///x.jar",
        ["verbose=true"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 -v --deploy-mode cluster --class a.B local:///x.jar",
        ["verbose=true"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --jars s3a://a.jar --jars s3a://b.jar --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.jars=s3a://b.jar"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --jars s3a://a.jar,,s3a://b.jar --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.jars=s3a://a.jar,,s3a://b.jar"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --executor-memory 2g --conf spark.executor.memory=8g --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.executor.memory=2g"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.executor.memory=8g --executor-memory 2g --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.executor.memory=2g"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --driver-memory 2g --conf spark.driver.memory=3g --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.driver.memory=3g"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.driver.memory=3g --driver-memory 2g --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.driver.memory=2g"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --name first --name second --deploy-mode cluster --class a.B local:///x.jar",
        ["name=second"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.app.name=from-conf --deploy-mode cluster --class a.B local:///x.jar",
        ["name=from-conf"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.app.name=from-conf --name from-flag --deploy-mode cluster --class a.B local:///x.jar",
        ["name=from-flag"]
    ),
    // --- app args that look like options -----------------------------------------------------
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar --master local --conf x --class Z -v",
        [
            "master=k8s://https://api:6443",
            "class=a.B",
            "args=--master|local|--conf|x|--class|Z|-v",
            "verbose=false"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar --help",
        ["args=--help"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar '$HOME' 'price=$5' '$(SECRET)' 'a$$b'",
        ["args=$HOME|price=$5|$(SECRET)|a$$b"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar \"with space\" '' 'tab\there'",
        ["args=with space||tab\\there"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --conf 'spark.driverEnv.X=$(Y)' --class a.B local:///x.jar",
        ["conf:spark.driverEnv.X=$(Y)"]
    ),
    // --- special resources, shells, SQL ------------------------------------------------------
    case!(
        "spark-shell --master k8s://https://api:6443 --conf spark.kubernetes.container.image=apache/spark:4.0.0",
        [
            "class=org.apache.spark.repl.Main",
            "resource=spark-shell",
            "name=Spark shell",
            "mode=client"
        ]
    ),
    case!(
        "spark-shell --master k8s://https://api:6443 -I init.scala --executor-memory 2g",
        ["args=-I|init.scala", "conf:spark.executor.memory=2g"]
    ),
    case!(
        "spark-shell --master k8s://https://api:6443 --name analyst-session",
        ["name=analyst-session"]
    ),
    case!(
        "pyspark --master k8s://https://api:6443 --num-executors 3",
        [
            "resource=pyspark-shell",
            "name=PySparkShell",
            "kind=python",
            "conf:spark.executor.instances=3"
        ]
    ),
    case!(
        "spark-sql --master k8s://https://api:6443 -e \"SELECT 1\"",
        [
            "class=org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver",
            "resource=spark-internal",
            "args=-e|SELECT 1"
        ]
    ),
    case!(
        "spark-sql --master k8s://https://api:6443 -f s3a://queries/report.sql --hiveconf hive.cli.print.header=true",
        ["args=-f|s3a://queries/report.sql|--hiveconf|hive.cli.print.header=true"]
    ),
    case!(
        "spark-k8s-cli shell --master k8s://https://api:6443",
        ["resource=spark-shell"]
    ),
    case!(
        "spark-k8s-cli sql --master k8s://https://api:6443 -e 'show tables'",
        ["args=-e|show tables"]
    ),
    case!(
        "spark-k8s-cli --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        ["class=a.B"]
    ),
    case!(
        "spark-k8s-cli submit --master k8s://https://api:6443 --deploy-mode cluster local:///app.py",
        ["kind=python"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 --hiveconf hive.server2.thrift.port=10001",
        [
            "resource=spark-internal",
            "args=--hiveconf|hive.server2.thrift.port=10001"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 spark-internal",
        [
            "exit=1",
            "err=Cluster deploy mode is not applicable to Spark Thrift server."
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode client spark-internal",
        ["resource=spark-internal", "name=spark-internal"]
    ),
    // --- properties files, defaults, environment ----------------------------------------------
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = CONF_DIR,
        files = &[(
            "/etc/spark/spark-defaults.conf",
            "spark.executor.memory 6g\nspark.eventLog.enabled true\n"
        )],
        [
            "conf:spark.executor.memory=6g",
            "conf:spark.eventLog.enabled=true"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B --conf spark.executor.memory=2g local:///x.jar",
        env = CONF_DIR,
        files = &[(
            "/etc/spark/spark-defaults.conf",
            "spark.executor.memory 6g\n"
        )],
        ["conf:spark.executor.memory=2g"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = &[
            ("SPARK_HOME", "/opt/spark"),
            ("SPARK_K8S_CLI_SUBMIT_IMAGE", "img")
        ],
        files = &[(
            "/opt/spark/conf/spark-defaults.conf",
            "spark.executor.cores=3\n"
        )],
        ["conf:spark.executor.cores=3"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = &[
            ("SPARK_CONF_DIR", "/empty"),
            ("SPARK_HOME", "/opt/spark"),
            ("SPARK_K8S_CLI_SUBMIT_IMAGE", "img")
        ],
        files = &[(
            "/opt/spark/conf/spark-defaults.conf",
            "spark.executor.cores=3\n"
        )],
        ["noconf:spark.executor.cores"]
    ),
    case!(
        "spark-submit --properties-file /jobs/etl.conf --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = CONF_DIR,
        files = DEFAULTS_AND_ETL_CONF,
        ["conf:spark.a=file", "noconf:spark.b"]
    ),
    case!(
        "spark-submit --properties-file /jobs/etl.conf --load-spark-defaults --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = CONF_DIR,
        files = DEFAULTS_AND_ETL_CONF,
        ["conf:spark.a=file", "conf:spark.b=default"]
    ),
    case!(
        "spark-submit --properties-file /p1.conf --extra-properties-file /p2.conf --conf spark.c=conf --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = IMG,
        files = &[
            ("/p1.conf", "spark.a=p1\nspark.b=p1\nspark.c=p1\n"),
            ("/p2.conf", "spark.b=p2\nspark.c=p2\n")
        ],
        ["conf:spark.a=p1", "conf:spark.b=p2", "conf:spark.c=conf"]
    ),
    case!(
        "spark-submit --properties-file /p.conf --deploy-mode cluster --class a.B local:///x.jar",
        env = IMG,
        files = &[(
            "/p.conf",
            "spark.master k8s://https://from-file:6443\nnot.spark=1\n"
        )],
        [
            "master=k8s://https://from-file:6443",
            "warn=Ignoring non-Spark config property: not.spark"
        ]
    ),
    case!(
        "spark-submit --deploy-mode cluster --class a.B local:///x.jar",
        env = &[
            ("MASTER", "k8s://env-master:443"),
            ("SPARK_EXECUTOR_MEMORY", "5g"),
            ("SPARK_K8S_CLI_SUBMIT_IMAGE", "img")
        ],
        [
            "master=k8s://https://env-master:443",
            "conf:spark.executor.memory=5g"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --class a.B local:///x.jar",
        env = &[
            ("DEPLOY_MODE", "cluster"),
            ("SPARK_DRIVER_MEMORY", "3g"),
            ("SPARK_EXECUTOR_CORES", "4"),
            ("SPARK_K8S_CLI_SUBMIT_IMAGE", "img")
        ],
        [
            "mode=cluster",
            "conf:spark.driver.memory=3g",
            "conf:spark.executor.cores=4"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --class a.B local:///x.jar",
        ["mode=client", "noconf:spark.kubernetes.namespace"]
    ),
    // --- launcher settings in their three spellings -------------------------------------------
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.k8scli.queue=analytics --conf spark.k8scli.jobId=nightly-etl --deploy-mode cluster --class a.B local:///x.jar",
        [
            "launcher:queue=analytics",
            "launcher:jobId=nightly-etl",
            "noconf:spark.k8scli.queue"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --queue q1 --conf spark.k8scli.queue=q2 --deploy-mode cluster --class a.B local:///x.jar",
        ["launcher:queue=q1"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = &[
            ("SPARK_K8S_CLI_QUEUE", "from-env"),
            ("SPARK_K8S_CLI_SUBMIT_IMAGE", "img")
        ],
        ["launcher:queue=from-env"]
    ),
    case!(
        "spark-submit --launcher-config /cfg.yaml --master k8s://https://api:6443 --deploy-mode cluster --class a.B local:///x.jar",
        env = NONE,
        files = &[(
            "/cfg.yaml",
            "queue: from-yaml\nsubmitImage: reg/spark:4\nsubmitNodeSelector:\n  pool: system\n"
        )],
        [
            "launcher:queue=from-yaml",
            "launcher:submitImage=reg/spark:4",
            "launcher:submitNodeSelector=pool=system"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.k8scli.submitNodeSelector.disk=ssd --conf spark.k8scli.submitNodeSelector.zone=a --deploy-mode cluster --class a.B local:///x.jar",
        ["launcher:submitNodeSelector=disk=ssd,zone=a"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --dry-run --deploy-mode cluster --class a.B local:///x.jar",
        ["launcher:dryRun=true"]
    ),
    // --- secrets ------------------------------------------------------------------------------
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.hadoop.fs.s3a.secret.key=SuperSecret123 --conf spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE --deploy-mode cluster --class a.B local:///x.jar",
        [
            "conf:spark.hadoop.fs.s3a.secret.key=SuperSecret123",
            "secret:spark.hadoop.fs.s3a.secret.key",
            "secret:spark.hadoop.fs.s3a.access.key"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.kubernetes.authenticate.submission.oauthToken=tok-abc --conf spark.kubernetes.context=prod --deploy-mode cluster --class a.B local:///x.jar",
        ["conf:spark.kubernetes.authenticate.submission.oauthToken=tok-abc"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --conf spark.redaction.regex=(?i)magic --conf spark.magic.word=xyzzy --deploy-mode cluster --class a.B local:///x.jar",
        ["secret:spark.magic.word"]
    ),
    // --- bad input ----------------------------------------------------------------------------
    case!(
        "spark-submit",
        ["exit=255", "err=Usage: spark-submit [options]"]
    ),
    case!(
        "spark-submit --foo x.jar",
        ["exit=1", "err=Error: Unrecognized option: --foo\n\nUsage:"]
    ),
    case!(
        "spark-submit --foo=bar x.jar",
        ["exit=1", "err=Error: Unrecognized option: --foo\n"]
    ),
    case!(
        "spark-submit --conf= x.jar",
        ["exit=1", "err=Error: Unrecognized option: --conf=\n"]
    ),
    case!(
        "spark-submit -c=spark.a=1 x.jar",
        ["exit=1", "err=Unrecognized option: -c=spark.a=1"]
    ),
    case!(
        "spark-submit --master",
        [
            "exit=1",
            "err=Error: Missing argument for option '--master'."
        ]
    ),
    case!(
        "spark-submit --class a.B local:///x.jar --conf",
        ["args=--conf"]
    ),
    case!(
        "spark-submit --conf abc x.jar",
        ["exit=1", "err=Error: Invalid argument to --conf: abc"]
    ),
    case!(
        "spark-submit -c abc x.jar",
        ["exit=1", "err=Error: Invalid argument to --conf: abc"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster",
        ["exit=1", "err=Error: Missing application resource."]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster local:///x.jar",
        ["exit=1", "err=Please specify one with --class"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode both --class a.B local:///x.jar",
        [
            "exit=1",
            "err=--deploy-mode must be either \"client\" or \"cluster\""
        ]
    ),
    case!(
        "spark-submit --master yarn --class a.B local:///x.jar",
        ["exit=1", "err=Master must be a Kubernetes API server"]
    ),
    case!(
        "spark-submit --master k8s://ftp://h:1 --class a.B local:///x.jar",
        ["exit=1", "err=Invalid Kubernetes master scheme: ftp"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --driver-memory 1.5g --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Driver memory must be a positive number (got '1.5g')"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --executor-memory 0 --class a.B local:///x.jar",
        ["exit=1", "err=Executor memory must be a positive number"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --executor-memory 4x --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Executor memory must be a positive number (got '4x')"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --executor-cores two --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Executor cores must be a positive number (got 'two')"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --num-executors 0 --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Number of executors must be a positive number"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --num-executors -2 --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Number of executors must be a positive number (got '-2')"
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --num-executors 0 --conf spark.dynamicAllocation.enabled=true --class a.B local:///x.jar",
        ["conf:spark.executor.instances=0"]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --proxy-user bob --principal p@R --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Only one of --proxy-user or --principal can be provided."
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --kill a --status b",
        [
            "exit=1",
            "err=Action cannot be both KILL and REQUEST_STATUS."
        ]
    ),
    case!(
        "spark-submit --master k8s://https://api:6443 --deploy-mode cluster --class org.apache.spark.repl.Main spark-shell",
        [
            "exit=1",
            "err=Cluster deploy mode is not applicable to Spark shells."
        ]
    ),
    case!(
        "spark-sql --master k8s://https://api:6443 --deploy-mode cluster",
        [
            "exit=1",
            "err=Cluster deploy mode is not applicable to Spark SQL shell."
        ]
    ),
    case!(
        "pyspark --master k8s://https://api:6443 job.py",
        [
            "exit=255",
            "err=Running python applications through 'pyspark' is not supported as of Spark 2.0."
        ]
    ),
    case!(
        "pyspark --master k8s://https://api:6443 foo",
        [
            "exit=1",
            "err=pyspark does not support any application options."
        ]
    ),
    case!(
        "spark-submit --remote sc://host:15002 app.py",
        ["exit=1", "err=Spark Connect"]
    ),
    case!(
        "spark-submit --properties-file /missing.conf --class a.B local:///x.jar",
        env = NONE,
        ["exit=1", "err=Properties file /missing.conf cannot be read"]
    ),
    case!(
        "spark-submit --launcher-config /missing.yaml --class a.B local:///x.jar",
        env = NONE,
        ["exit=1", "err=Launcher config /missing.yaml cannot be read"]
    ),
    case!(
        "spark-submit --launcher-config /bad.yaml --class a.B local:///x.jar",
        env = NONE,
        files = &[("/bad.yaml", "queue: [unclosed\n")],
        ["exit=1", "err=is not valid YAML"]
    ),
    case!(
        "spark-submit --launcher-config /typo.yaml --class a.B local:///x.jar",
        env = NONE,
        files = &[("/typo.yaml", "submitImg: x\n")],
        ["exit=1", "err=Did you mean 'submitImage'?"]
    ),
    case!(
        "spark-submit --conf spark.k8scli.jobid=x --class a.B local:///x.jar",
        ["exit=1", "err=Did you mean 'jobId'?"]
    ),
    case!(
        "spark-submit --class a.B local:///x.jar",
        env = &[("SPARK_K8S_CLI_QUEU", "x")],
        ["exit=1", "err=Did you mean SPARK_K8S_CLI_QUEUE?"]
    ),
    case!(
        "spark-submit --conf spark.k8scli.jobId=Bad_Id --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Invalid value 'Bad_Id' for launcher setting jobId (from spark.k8scli.jobId)"
        ]
    ),
    case!(
        "spark-submit --conf spark.k8scli.dryRun=yes --class a.B local:///x.jar",
        ["exit=1", "err=must be true or false"]
    ),
    case!(
        "spark-submit --conf spark.k8scli.submitMemory=lots --class a.B local:///x.jar",
        ["exit=1", "err=invalid memory quantity 'lots'"]
    ),
    case!(
        "spark-submit --conf spark.kubernetes.namespace=a --conf spark.k8scli.namespace=b --class a.B local:///x.jar",
        ["exit=1", "err=Conflicting namespaces"]
    ),
    case!(
        "spark-submit --conf spark.executor.memoryOverhead=lots --class a.B local:///x.jar",
        [
            "exit=1",
            "err=Invalid value 'lots' for spark.executor.memoryOverhead"
        ]
    ),
    case!(
        "spark-submit --conf spark.kubernetes.executor.request.cores=fast --class a.B local:///x.jar",
        [
            "exit=1",
            "err=spark.kubernetes.executor.request.cores: invalid CPU quantity 'fast'"
        ]
    ),
    case!(
        "spark-submit --deploy-mode cluster --conf spark.driver.host=10.0.0.1 --class a.B local:///x.jar",
        ["exit=1", "err=spark.driver.host is set by Spark itself"]
    ),
    case!(
        "spark-submit --version",
        ["exit=0", "err=spark-k8s-cli version"]
    ),
    case!(
        "spark-submit --help",
        [
            "exit=0",
            "err=Usage: spark-submit [options] <app jar | python file | R file> [app arguments]\n"
        ]
    ),
    case!(
        "spark-submit -h --foo",
        ["exit=1", "err=Unrecognized option: --foo"]
    ),
    case!(
        "spark-submit --usage-error",
        ["exit=1", "err=Usage: spark-submit"]
    ),
];

fn check(case: &Case) {
    let env = env_of(case.env);
    let files = files_of(case.files);
    let result = prepare_line(case.line, &env, &files);
    let expects_failure = case.expect.iter().any(|e| e.starts_with("exit="));
    let settings = match (result, expects_failure) {
        (Ok(s), false) => s,
        (Err(early), true) => {
            for e in case.expect {
                if let Some(code) = e.strip_prefix("exit=") {
                    assert_eq!(
                        early.code.to_string(),
                        code,
                        "{}: {}",
                        case.line,
                        early.stderr
                    );
                } else if let Some(text) = e.strip_prefix("err=") {
                    assert!(
                        early.stderr.contains(text),
                        "{}\nwanted {text:?} in\n{}",
                        case.line,
                        early.stderr
                    );
                } else {
                    panic!("unknown failure expectation {e}");
                }
            }
            return;
        }
        (Ok(_), true) => panic!("{}: expected a failure", case.line),
        (Err(e), false) => panic!("{}: unexpected failure {}", case.line, e.stderr),
    };
    for e in case.expect {
        let (what, want) = e.split_once('=').unwrap_or((e, ""));
        let line = case.line;
        match what {
            "master" => assert_eq!(settings.master.as_deref(), Some(want), "{line}"),
            "mode" => assert_eq!(settings.deploy_mode.as_str(), want, "{line}"),
            "class" => assert_eq!(settings.main_class.as_deref(), Some(want), "{line}"),
            "name" => assert_eq!(settings.app_name, want, "{line}"),
            "resource" => assert_eq!(settings.primary_resource.as_deref(), Some(want), "{line}"),
            "proxy" => assert_eq!(settings.proxy_user.as_deref(), Some(want), "{line}"),
            "verbose" => assert_eq!(settings.verbose.to_string(), want, "{line}"),
            "kind" => assert_eq!(
                format!("{:?}", settings.app_kind).to_lowercase(),
                want,
                "{line}"
            ),
            "args" => {
                let want: Vec<String> = if want.is_empty() {
                    vec![]
                } else {
                    want.split('|').map(|s| s.replace("\\t", "\t")).collect()
                };
                assert_eq!(settings.app_args, want, "{line}");
            }
            "action" => {
                let got = match &settings.action {
                    Action::Kill(id) => format!("kill:{id}"),
                    Action::Status(id) => format!("status:{id}"),
                    other => format!("{other:?}"),
                };
                assert_eq!(got, want, "{line}");
            }
            "warn" => assert!(
                settings.warnings.iter().any(|w| w.contains(want)),
                "{line}: no warning {want:?} in {:?}",
                settings.warnings
            ),
            w if w.starts_with("conf:") => {
                let key = &w[5..];
                assert_eq!(settings.conf(key), Some(want), "{line}: {key}");
            }
            w if w.starts_with("noconf:") => {
                assert_eq!(settings.conf(&w[7..]), None, "{line}");
            }
            w if w.starts_with("secret:") => {
                let key = &w[7..];
                let v = settings.conf(key).expect("secret key present");
                assert!(
                    settings.redaction.is_secret(key, v),
                    "{line}: {key} not secret"
                );
            }
            w if w.starts_with("launcher:") => {
                let name = &w[9..];
                let got = match settings.launcher.get(name).map(|v| &v.raw) {
                    Some(Raw::Text(t)) => t.clone(),
                    Some(Raw::List(l)) => l.join(","),
                    Some(Raw::Map(m)) => m
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                    None => String::new(),
                };
                assert_eq!(got, want, "{line}: launcher {name}");
            }
            other => panic!("unknown expectation {other}"),
        }
    }
    // The same job, through the rendered pod and back.
    if matches!(settings.action, Action::Submit) {
        round_trip(&settings);
    }
}

#[test]
fn at_least_eighty_real_command_lines() {
    assert!(CASES.len() >= 80, "{} cases", CASES.len());
}

#[test]
fn compatibility_suite() {
    let mut failures = Vec::new();
    for case in CASES {
        if let Err(e) = std::panic::catch_unwind(|| check(case)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}\n  {msg}", case.line));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
