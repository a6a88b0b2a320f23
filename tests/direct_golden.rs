//! Direct submit's golden suite (issue 21, docs/direct-submit.md): what Spark's own JVM
//! spark-submit creates in cluster mode, and the launcher's pure builder of the same objects
//! (`plan::direct`), compared field by field.
//!
//! Each case is a launcher command line. Its in-pod spark-submit argv (what `pod` mode runs in
//! the submit pod, `JobPlan::effective_argv`) is what both sides take:
//! - `goldens_are_what_spark_submit_creates` runs the pinned pyspark's JVM spark-submit with
//!   that argv against kubesim (`waitAppCompletion=false`, a cluster without nodes so nothing
//!   runs), reads the ConfigMap, Service and driver Pod it created, in creation order, and
//!   compares them with `tests/golden/direct/<case>.json`. `SPARK_K8S_CLI_BLESS=1` rewrites
//!   the goldens instead.
//! - `builder_matches_goldens` needs no JVM: it builds the objects with `plan::direct` from
//!   the same argv, creates them in kubesim (so both sides carry the API server's defaults)
//!   and compares them with the goldens.
//!
//! Fields random by design (docs/direct-submit.md, "Random by design") are checked by shape
//! ([`Randoms::extract`]); the builder is then given the golden's values so that everything
//! else compares exactly.

mod common;
#[path = "direct_golden/lines.rs"]
mod lines;
#[path = "../kubesim/tests/pyenv/mod.rs"]
mod pyenv;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::pipeline::*;
use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};
use spark_k8s_cli::plan;

#[path = "direct_golden/launcher.rs"]
mod launcher;

struct Case {
    name: &'static str,
    /// The launcher's arguments after [`COMMON`].
    args: &'static str,
}

/// Every case's start: a cluster-mode job on Spark's image, with a pinned job id.
const COMMON: &str = "spark-submit --master k8s://https://k8s.example:6443 --deploy-mode cluster \
    --conf spark.kubernetes.container.image=apache/spark:4.0.0";
const PI_JAR: &str = "local:///opt/spark/examples/jars/spark-examples.jar";

const CASES: &[Case] = &[
    Case {
        name: "jvm-basic",
        args: "--class org.apache.spark.examples.SparkPi JAR 10",
    },
    Case {
        name: "python-basic",
        args: "--name pi-py local:///opt/spark/examples/src/main/python/pi.py 10",
    },
    Case {
        name: "python-py-files",
        args: "--py-files local:///opt/deps/a.zip,local:///opt/deps/b.py \
               local:///app/main.py --date 2026-12-07",
    },
    Case {
        name: "driver-memory-cores",
        args: "--driver-memory 2g --driver-cores 2 --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "memory-overhead",
        args: "--conf spark.driver.memoryOverhead=512m --conf spark.executor.memory=4g \
               --conf spark.executor.cores=2 --conf spark.executor.memoryOverhead=1g \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "overhead-factor",
        args: "--driver-memory 4g --conf spark.driver.memoryOverheadFactor=0.25 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "python-overhead-factor",
        args: "--driver-memory 3g --conf spark.kubernetes.memoryOverheadFactor=0.3 \
               local:///app/main.py",
    },
    Case {
        name: "cpu-request-limit",
        args: "--conf spark.kubernetes.driver.request.cores=500m \
               --conf spark.kubernetes.driver.limit.cores=2 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "labels-annotations",
        args: "--conf spark.kubernetes.driver.label.team=data \
               --conf spark.kubernetes.driver.annotation.owner=alice \
               --conf spark.kubernetes.driver.annotation.example.com/cost-center=42 \
               --conf spark.kubernetes.executor.label.ignored=yes \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "driver-env",
        args: "--conf spark.kubernetes.driverEnv.FOO=bar \
               --conf spark.kubernetes.driverEnv.ALPHA=1 \
               --conf spark.executorEnv.NOT_DRIVER=x \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "node-selectors",
        args: "--conf spark.kubernetes.node.selector.disktype=ssd \
               --conf spark.kubernetes.driver.node.selector.zone=a \
               --conf spark.kubernetes.executor.node.selector.pool=spot \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "secrets-mounted",
        args: "--conf spark.kubernetes.driver.secrets.db-creds=/etc/db \
               --conf spark.kubernetes.driver.secrets.tls=/etc/tls \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "secrets-env",
        args: "--conf spark.kubernetes.driver.secretKeyRef.DB_PASSWORD=db-creds:password \
               --conf spark.kubernetes.driver.secretKeyRef.API_TOKEN=api:token \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "service-account",
        args: "--conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "namespace",
        args: "--conf spark.kubernetes.namespace=jobs \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "image-pull",
        args: "--conf spark.kubernetes.container.image.pullPolicy=Always \
               --conf spark.kubernetes.container.image.pullSecrets=regcred,other \
               --conf spark.kubernetes.driver.container.image=example/driver:1 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "ports",
        args: "--conf spark.driver.port=7000 --conf spark.driver.blockManager.port=7001 \
               --conf spark.ui.port=4041 --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "service-labels-annotations",
        args: "--conf spark.kubernetes.driver.service.annotation.a=b \
               --conf spark.kubernetes.driver.service.label.x=y \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "remote-deps",
        args: "--jars https://repo.example/x.jar,local:///opt/y.jar \
               --files https://files.example/f.txt --conf spark.executor.instances=3 \
               --class org.apache.spark.examples.SparkPi JAR a b",
    },
    Case {
        name: "secret-properties",
        args: "--conf spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE \
               --conf spark.hadoop.fs.s3a.secret.key=s3cr3t \
               --conf spark.db.password=hunter2 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "long-app-name",
        args: "--name a-very-long-application-name-for-the-service-fallback \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "non-ascii-name",
        args: "--name 名前 --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "annotation-app-id",
        args: "--conf spark.kubernetes.driver.annotation.ui=https://ui.example/{{APP_ID}}/x \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "block-manager-and-connect-ports",
        args: "--conf spark.blockManager.port=7100 --conf spark.connect.grpc.binding.port=15010 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "many-secrets",
        args: "--conf spark.kubernetes.driver.secrets.s1=/s/1 --conf spark.kubernetes.driver.secrets.s2=/s/2 \
               --conf spark.kubernetes.driver.secrets.s3=/s/3 --conf spark.kubernetes.driver.secrets.s4=/s/4 \
               --conf spark.kubernetes.driver.secrets.s5=/s/5 \
               --conf spark.kubernetes.driverEnv.B=2 --conf spark.kubernetes.driverEnv.A=1 \
               --conf spark.kubernetes.driverEnv.C=3 --conf spark.kubernetes.driverEnv.Z=26 \
               --conf spark.kubernetes.driverEnv.M=13 --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "python-with-jars-and-conf-file-values",
        args: "--jars local:///opt/lib/udf.jar --conf spark.sql.shuffle.partitions=64 \
               --conf 'spark.driver.extraJavaOptions=-Dx=y -Da.b=c' \
               --conf spark.kubernetes.executor.request.cores=250m \
               local:///app/etl.py --in s3a://bucket/in",
    },
    Case {
        name: "scheduler-name",
        args: "--conf spark.kubernetes.scheduler.name=volcano \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "driver-scheduler-name",
        args: "--conf spark.kubernetes.scheduler.name=volcano \
               --conf spark.kubernetes.driver.scheduler.name=yunikorn \
               --conf spark.kubernetes.executor.scheduler.name=other \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "local-dirs-tmpfs",
        args: "--conf spark.kubernetes.local.dirs.tmpfs=true \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "spark-local-dir",
        args: "--conf spark.local.dir=/tmp/a,/scratch/b \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "spark-local-dir-tmpfs",
        args: "--conf spark.local.dir=/fast --conf spark.kubernetes.local.dirs.tmpfs=true \
               local:///app/main.py",
    },
    Case {
        name: "driver-gpu",
        args: "--conf spark.driver.resource.gpu.amount=2 \
               --conf spark.driver.resource.gpu.vendor=nvidia.com \
               --conf spark.driver.resource.gpu.discoveryScript=/opt/spark/gpu.sh \
               --conf spark.executor.resource.gpu.amount=1 \
               --conf spark.executor.resource.gpu.vendor=nvidia.com \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "service-ip-dual-stack",
        args: "--conf spark.kubernetes.driver.service.ipFamilyPolicy=PreferDualStack \
               --conf spark.kubernetes.driver.service.ipFamilies=IPv6,IPv4 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "service-ip-require-dual-stack",
        args: "--conf spark.kubernetes.driver.service.ipFamilyPolicy=RequireDualStack \
               --conf spark.kubernetes.driver.service.ipFamilies=IPv4,IPv6 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pyspark-python",
        args: "--conf spark.pyspark.python=/usr/bin/python3.12 \
               --conf spark.pyspark.driver.python=/opt/venv/bin/python \
               local:///app/main.py",
    },
    Case {
        name: "pyspark-python-jvm-app",
        args: "--conf spark.pyspark.python=/usr/bin/python3 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "secret-key-ref-variants",
        args: "--conf spark.kubernetes.driver.secretKeyRef.TLS_CRT=tls:tls.crt \
               --conf spark.kubernetes.driver.secretKeyRef.TLS_KEY=tls:tls.key \
               --conf spark.kubernetes.driver.secretKeyRef.PGPASS=pg-main:pg_password \
               --conf spark.kubernetes.driver.secrets.tls=/etc/tls \
               --conf spark.kubernetes.executor.secretKeyRef.EXEC_ONLY=x:y \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pull-secrets-list",
        args: "--conf 'spark.kubernetes.container.image.pullSecrets=a, b ,c,' \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "executor-settings",
        args: "--conf spark.kubernetes.executor.request.cores=500m \
               --conf spark.kubernetes.executor.limit.cores=1 \
               --conf spark.kubernetes.executor.label.tier=batch \
               --conf spark.kubernetes.executor.annotation.a=b \
               --conf spark.kubernetes.executor.deleteOnTermination=false \
               --conf spark.kubernetes.executor.podNamePrefix=etl \
               --conf spark.kubernetes.executor.container.image=example/exec:1 \
               --conf spark.kubernetes.executor.secrets.creds=/etc/creds \
               --conf spark.kubernetes.executor.volumes.emptyDir.x.mount.path=/x \
               --conf spark.kubernetes.allocation.batch.size=10 \
               --conf spark.kubernetes.driver.reusePersistentVolumeClaim=true \
               --conf spark.kubernetes.driver.ownPersistentVolumeClaim=true \
               --conf spark.kubernetes.executor.missingPodDetectDelta=60s \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "dynamic-allocation",
        args: "--conf spark.dynamicAllocation.enabled=true \
               --conf spark.dynamicAllocation.shuffleTracking.enabled=true \
               --conf spark.dynamicAllocation.minExecutors=1 \
               --conf spark.dynamicAllocation.maxExecutors=20 \
               --conf spark.dynamicAllocation.executorIdleTimeout=30s \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "python-remote-deps",
        args: "--py-files https://deps.example/lib.zip \
               --archives https://deps.example/env.tar.gz#env \
               --files https://deps.example/conf.json,local:///etc/app.conf \
               local:///app/main.py",
    },
    Case {
        name: "proxy-user",
        args: "--proxy-user bob --class org.apache.spark.examples.SparkPi JAR 5",
    },
    Case {
        name: "app-args-special",
        args: "--class org.apache.spark.examples.SparkPi JAR 'two words' 'a=b' '--flag' \
               'quote\"d' 'x:y#z!' 'back\\\\slash' 'ünï €' ''",
    },
    Case {
        name: "java-escaping",
        args: "--conf 'spark.app.colon=a:b' --conf 'spark.app.equals=k=v' \
               --conf 'spark.app.hash=#x!y' --conf 'spark.app.backslash=c:\\\\dir\\\\f' \
               --conf 'spark.app.unicode=héllo 名前 €' --conf 'spark.app.space=a b' \
               --conf 'spark.kubernetes.driverEnv.PATHS=a:b=c' \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "app-kill-grace-period",
        args: "--conf spark.kubernetes.appKillPodDeletionGracePeriod=5 \
               --conf spark.kubernetes.submission.connectionTimeout=20000 \
               --conf spark.kubernetes.submission.requestTimeout=20000 \
               --conf spark.kubernetes.driver.connectionTimeout=15000 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "mounted-credentials",
        args: "--conf spark.kubernetes.authenticate.driver.mounted.oauthTokenFile=/var/run/tok \
               --conf spark.kubernetes.authenticate.driver.mounted.caCertFile=/var/run/ca.crt \
               --conf spark.kubernetes.authenticate.executor.serviceAccountName=exec \
               --conf spark.kubernetes.authenticate.serviceAccountName=spark \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "hadoop-config-map",
        args: "--conf spark.kubernetes.hadoop.configMapName=hadoop-conf \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "krb5-config-map",
        args: "--conf spark.kubernetes.kerberos.krb5.configMapName=krb5 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "kerberos-token-secret",
        args: "--conf spark.kubernetes.kerberos.tokenSecret.name=hdfs-tokens \
               --conf spark.kubernetes.kerberos.tokenSecret.itemKey=tokens.bin \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "kerberos-hadoop-all",
        args: "--conf spark.kubernetes.hadoop.configMapName=hadoop-conf \
               --conf spark.kubernetes.kerberos.krb5.configMapName=krb5 \
               --conf spark.kubernetes.kerberos.tokenSecret.name=hdfs-tokens \
               --conf spark.kubernetes.kerberos.tokenSecret.itemKey=t \
               --conf spark.kerberos.access.hadoopFileSystems=hdfs://nn:8020 \
               --conf spark.kerberos.renewal.credentials=ccache \
               local:///app/main.py",
    },
    Case {
        name: "volume-host-path",
        args: "--conf spark.kubernetes.driver.volumes.hostPath.data.mount.path=/data \
               --conf spark.kubernetes.driver.volumes.hostPath.data.mount.readOnly=true \
               --conf spark.kubernetes.driver.volumes.hostPath.data.options.path=/mnt/data \
               --conf spark.kubernetes.driver.volumes.hostPath.data.options.type=Directory \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "volume-empty-dir",
        args: "--conf spark.kubernetes.driver.volumes.emptyDir.scratch.mount.path=/scratch \
               --conf spark.kubernetes.driver.volumes.emptyDir.scratch.options.medium=Memory \
               --conf spark.kubernetes.driver.volumes.emptyDir.scratch.options.sizeLimit=1Gi \
               --conf spark.kubernetes.driver.volumes.emptyDir.plain.mount.path=/plain \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "volume-pvc",
        args: "--conf spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.mount.path=/checkpoint \
               --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.mount.subPath=app1 \
               --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.mount.readOnly=false \
               --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.options.claimName=checkpoints \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "volume-nfs",
        args: "--conf spark.kubernetes.driver.volumes.nfs.share.mount.path=/share \
               --conf spark.kubernetes.driver.volumes.nfs.share.mount.readOnly=true \
               --conf spark.kubernetes.driver.volumes.nfs.share.options.server=nfs.example \
               --conf spark.kubernetes.driver.volumes.nfs.share.options.path=/exports/x \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "volume-sub-path-expr",
        args: "--conf spark.kubernetes.driver.volumes.hostPath.logs.mount.path=/logs \
               --conf 'spark.kubernetes.driver.volumes.hostPath.logs.mount.subPathExpr=$(SPARK_APPLICATION_ID)' \
               --conf spark.kubernetes.driver.volumes.hostPath.logs.options.path=/var/log/spark \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "volumes-with-secrets-and-local-dir",
        args: "--conf spark.kubernetes.driver.volumes.persistentVolumeClaim.a.mount.path=/a \
               --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.a.options.claimName=pa \
               --conf spark.kubernetes.driver.volumes.emptyDir.b.mount.path=/b \
               --conf spark.kubernetes.driver.volumes.nfs.c.mount.path=/c \
               --conf spark.kubernetes.driver.volumes.nfs.c.options.server=10.0.0.1 \
               --conf spark.kubernetes.driver.volumes.nfs.c.options.path=/c \
               --conf spark.kubernetes.driver.secrets.creds=/etc/creds \
               --conf spark.local.dir=/work \
               local:///app/main.py",
    },
    Case {
        name: "pod-template-basic",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pod-template-affinity",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.driver.label.team=data \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pod-template-sidecars",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.driver.podTemplateContainerName=spark \
               --conf spark.kubernetes.driver.secrets.creds=/etc/creds \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pod-template-first-container",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.driverEnv.FROM_CONF=2 \
               local:///app/main.py",
    },
    Case {
        name: "pod-template-overrides",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.node.selector.disktype=ssd \
               --conf spark.kubernetes.container.image.pullSecrets=regcred \
               --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
               --conf spark.kubernetes.driver.annotation.owner=conf \
               --driver-memory 2g --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pod-template-volumes",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.driver.volumes.emptyDir.conf-vol.mount.path=/conf \
               --conf spark.kubernetes.local.dirs.tmpfs=true \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "executor-pod-template",
        args: "--conf spark.kubernetes.executor.podTemplateFile=EXEC_TEMPLATE \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "driver-and-executor-templates",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.executor.podTemplateFile=EXEC_TEMPLATE \
               --conf spark.kubernetes.hadoop.configMapName=hadoop-conf \
               local:///app/main.py",
    },
    Case {
        name: "volume-as-local-dir",
        args: "--conf spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.mount.path=/data \
               --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName=scratch \
               --conf spark.local.dir=/ignored \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pod-template-local-dir",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pod-template-container-not-found",
        args: "--conf spark.kubernetes.driver.podTemplateFile=TEMPLATE \
               --conf spark.kubernetes.driver.podTemplateContainerName=nope \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "pyspark-python-only",
        args: "--conf spark.pyspark.python=/opt/conda/bin/python local:///app/main.py",
    },
    Case {
        name: "driver-resources-multiple",
        args: "--conf spark.driver.resource.gpu.amount=1 \
               --conf spark.driver.resource.gpu.vendor=nvidia.com \
               --conf spark.driver.resource.fpga.amount=2 \
               --conf spark.driver.resource.fpga.vendor=xilinx.com \
               --conf spark.kubernetes.driver.limit.cores=3 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "many-local-dirs-tmpfs",
        args: "--conf spark.local.dir=/l1,/l2,/l3,/l4 --conf spark.kubernetes.local.dirs.tmpfs=true \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "submission-options",
        args: "--conf spark.kubernetes.trust.certificates=true \
               --conf spark.kubernetes.report.interval=2s \
               --conf spark.kubernetes.driver.service.deleteOnTermination=false \
               --conf spark.kubernetes.driver.master=https://kubernetes.default.svc \
               --conf spark.kubernetes.submission.maxRetries=5 \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "escalation-and-not-ready-addresses",
        args: "--conf spark.kubernetes.securityContext.allowPrivilegeEscalation=true \
               --conf spark.kubernetes.driver.service.publishNotReadyAddresses=true \
               --class org.apache.spark.examples.SparkPi JAR",
    },
    Case {
        name: "escalation-driver-key",
        args: "--conf spark.kubernetes.securityContext.allowPrivilegeEscalation=true \
               --conf spark.kubernetes.driver.securityContext.allowPrivilegeEscalation=false \
               local:///app/main.py",
    },
];

/// The pod templates of the cases that use one, by file stem: `<case>` is the driver's
/// (`TEMPLATE` in the arguments), `<case>-executor` the executors' (`EXEC_TEMPLATE`). The test
/// writes each to [`template_path`], where the JVM reads it; the builder gets the text.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "pod-template-basic",
        "apiVersion: v1
kind: Pod
metadata:
  labels:
    from-template: \"yes\"
  annotations:
    tmpl/note: hello
spec:
  tolerations:
  - key: dedicated
    operator: Equal
    value: spark
    effect: NoSchedule
  - key: gpu
    operator: Exists
  containers:
  - name: main
    env:
    - name: FROM_TEMPLATE
      value: \"1\"
",
    ),
    (
        "pod-template-affinity",
        "apiVersion: v1
kind: Pod
metadata:
  labels:
    team: template
spec:
  priorityClassName: high
  securityContext:
    fsGroup: 185
    runAsUser: 185
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: pool
            operator: In
            values: [spark]
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 50
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              spark-role: driver
  hostAliases:
  - ip: 10.0.0.9
    hostnames: [metastore]
  dnsPolicy: ClusterFirst
  terminationGracePeriodSeconds: 60
",
    ),
    (
        "pod-template-sidecars",
        "apiVersion: v1
kind: Pod
spec:
  initContainers:
  - name: fetch
    image: busybox:1
    command: [sh, -c, 'echo hi > /shared/x']
    volumeMounts:
    - name: shared
      mountPath: /shared
  containers:
  - name: proxy
    image: envoy:1
    ports:
    - containerPort: 9901
      name: admin
  - name: spark
    image: ignored:1
    workingDir: /work
    volumeMounts:
    - name: shared
      mountPath: /shared
    env:
    - name: FROM_TEMPLATE
      value: spark
  volumes:
  - name: shared
    emptyDir: {}
",
    ),
    (
        "pod-template-first-container",
        "apiVersion: v1
kind: Pod
metadata:
  name: ignored-name
  namespace: ignored
spec:
  containers:
  - name: first
    imagePullPolicy: Always
    env:
    - name: FROM_TEMPLATE
      value: \"1\"
    - name: FROM_CONF
      value: template
    resources:
      requests:
        ephemeral-storage: 1Gi
      limits:
        ephemeral-storage: 2Gi
        cpu: \"4\"
    securityContext:
      runAsNonRoot: true
  - name: second
    image: sidecar:1
",
    ),
    (
        "pod-template-overrides",
        "apiVersion: v1
kind: Pod
metadata:
  annotations:
    owner: template
    other: kept
spec:
  serviceAccountName: template-sa
  nodeSelector:
    disktype: hdd
    zone: b
  imagePullSecrets:
  - name: template-cred
  restartPolicy: Always
  containers:
  - name: c
    image: template/image:1
    args: [ignored]
    ports:
    - containerPort: 8080
      name: http
",
    ),
    (
        "pod-template-volumes",
        "apiVersion: v1
kind: Pod
spec:
  volumes:
  - name: config
    configMap:
      name: app-config
  - name: cache
    emptyDir:
      sizeLimit: 2Gi
  containers:
  - name: c
    volumeMounts:
    - name: config
      mountPath: /etc/app
      readOnly: true
    - name: cache
      mountPath: /cache
",
    ),
    (
        "executor-pod-template-executor",
        "apiVersion: v1
kind: Pod
metadata:
  labels:
    role: executor-from-template
spec:
  containers:
  - name: executor
    resources:
      limits:
        ephemeral-storage: 4Gi
",
    ),
    (
        "driver-and-executor-templates",
        "apiVersion: v1
kind: Pod
metadata:
  annotations:
    driver: template
spec:
  containers:
  - name: driver
    env:
    - name: T
      value: d
",
    ),
    (
        "driver-and-executor-templates-executor",
        "# the executors' template, kept as written
apiVersion: v1
kind: Pod
spec:
  tolerations: [{key: spot, operator: Exists}]
  containers: [{name: executor}]
",
    ),
    (
        "pod-template-local-dir",
        "apiVersion: v1
kind: Pod
spec:
  volumes:
  - name: spark-local-dir-1
    hostPath:
      path: /mnt/fast
  containers:
  - name: driver
    volumeMounts:
    - name: spark-local-dir-1
      mountPath: /fast
",
    ),
    (
        "pod-template-container-not-found",
        "apiVersion: v1
kind: Pod
spec:
  containers:
  - name: first
    env:
    - name: PICKED
      value: first
  - name: second
    image: sidecar:2
",
    ),
];

/// Where the JVM reads a case's pod template (the same path on every machine, so that the
/// goldens' arguments and properties do not depend on it).
fn template_path(case: &str) -> String {
    format!("/tmp/spark-k8scli-direct-golden/{case}.yaml")
}

fn template_of(stem: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == stem).map(|(_, t)| *t)
}

/// A case's pod templates: file stem and text.
fn templates(case: &str) -> Vec<(String, &'static str)> {
    [case.to_string(), format!("{case}-executor")]
        .into_iter()
        .filter_map(|stem| template_of(&stem).map(|text| (stem, text)))
        .collect()
}

/// The cases `DIRECT_GOLDEN_CASES` (a comma list of names) names, else all.
fn selected() -> Vec<&'static Case> {
    let only = std::env::var("DIRECT_GOLDEN_CASES").unwrap_or_default();
    let names: Vec<&str> = only.split(',').filter(|n| !n.is_empty()).collect();
    CASES
        .iter()
        .filter(|c| names.is_empty() || names.contains(&c.name))
        .collect()
}

/// The launcher's command line of a case.
fn line(case: &Case) -> String {
    format!(
        "{COMMON} --conf spark.k8scli.jobId=golden-{} {}",
        case.name,
        case.args
            .replace("JAR", PI_JAR)
            .replace(
                "EXEC_TEMPLATE",
                &template_path(&format!("{}-executor", case.name))
            )
            .replace("TEMPLATE", &template_path(case.name))
    )
}

/// What spark-submit runs for the case (program path first): the submit pod's argv, with the
/// pod templates read where spark-submit runs, as in direct mode (not shipped in a Secret).
fn in_pod_argv(case: &Case) -> Vec<String> {
    plan_of(case).effective_argv
}

/// The launcher's (pod-mode) plan of a case, its pod templates read where spark-submit runs.
fn plan_of(case: &Case) -> plan::JobPlan {
    let s = prepare_line(&line(case), &env_of(&[]), &files_of(&[]))
        .unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
    let inputs = plan::PlanInputs {
        templates_read_here: true,
        ..inputs()
    };
    plan::build(&s, &inputs).unwrap_or_else(|e| panic!("{}: {e:?}", case.name))
}

/// The in-pod argv aimed at `server`, with what a host run needs: the token kubesim takes and
/// no wait for the application (the cluster has no nodes, nothing runs).
fn spark_submit_args(case: &Case, server: &str) -> Vec<String> {
    let mut args: Vec<String> = in_pod_argv(case)[1..].to_vec();
    let at = args.iter().position(|a| a == "--master").expect("--master");
    args[at + 1] = format!("k8s://{server}");
    let extra = [
        "--conf",
        "spark.kubernetes.authenticate.submission.oauthToken=kubesim-token",
        "--conf",
        "spark.kubernetes.submission.waitAppCompletion=false",
    ];
    args.splice(at + 2..at + 2, extra.iter().map(|s| s.to_string()));
    args
}

/// A cluster without nodes, with the namespaces and service accounts the cases name.
fn config() -> SimConfig {
    SimConfig {
        kubelet: kubesim::kubelet::KubeletConfig {
            nodes: Vec::new(),
            ..Default::default()
        },
        service_accounts: vec![
            ("default".into(), "spark".into()),
            ("jobs".into(), "default".into()),
        ],
        ..SimConfig::default()
    }
}

async fn sim() -> Sim {
    Sim::start(config()).await.unwrap()
}

/// Writes the cases' pod templates where the command lines name them.
fn write_templates(cases: &[&Case]) {
    for case in cases {
        for (stem, text) in templates(case.name) {
            let path = template_path(&stem);
            std::fs::create_dir_all(Path::new(&path).parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
        }
    }
}

/// The kinds a submission may create (Spark 4.3 adds a NetworkPolicy).
const KINDS: &[(&str, &str, &str)] = &[
    ("", "v1", "configmaps"),
    ("", "v1", "services"),
    ("", "v1", "pods"),
    ("", "v1", "secrets"),
    ("", "v1", "persistentvolumeclaims"),
    ("networking.k8s.io", "v1", "networkpolicies"),
];

/// Every object of [`KINDS`] in the cluster.
fn objects(sim: &Sim) -> Vec<Value> {
    let store = &sim.clusters[0].store;
    let mut all = Vec::new();
    for (group, version, plural) in KINDS {
        let r = kubesim::resources::find(group, version, plural).unwrap();
        let (items, _) = store.list(
            r,
            None,
            &LabelSelector::default(),
            &FieldSelector::default(),
        );
        all.extend(items);
    }
    all
}

/// The uids of the objects a fresh cluster holds (its own ConfigMaps, Services, accounts).
fn baseline(sim: &Sim) -> std::collections::HashSet<String> {
    objects(sim)
        .iter()
        .filter_map(|o| o["metadata"]["uid"].as_str().map(String::from))
        .collect()
}

/// What the submission created, in creation order (kubesim's uids count up), without what the
/// server alone decides: uid, resourceVersion, timestamps, status; the managed fields keep only
/// who wrote them and how; owner references to the driver pod name it as `<driver-pod-uid>`.
fn created(sim: &Sim, before: &std::collections::HashSet<String>) -> Vec<Value> {
    let mut all: Vec<Value> = objects(sim)
        .into_iter()
        .filter(|o| {
            !o["metadata"]["uid"]
                .as_str()
                .is_some_and(|u| before.contains(u))
        })
        .collect();
    all.sort_by_key(|o| o["metadata"]["uid"].as_str().unwrap_or("").to_string());
    let pod_uid = all
        .iter()
        .find(|o| o["kind"] == "Pod")
        .map(|p| p["metadata"]["uid"].clone());
    for o in &mut all {
        let o = o.as_object_mut().unwrap();
        o.remove("status");
        let meta = o.get_mut("metadata").unwrap().as_object_mut().unwrap();
        for k in ["uid", "resourceVersion", "creationTimestamp", "generation"] {
            meta.remove(k);
        }
        if let Some(Value::Array(managed)) = meta.get_mut("managedFields") {
            for m in managed.iter_mut() {
                *m = json!({"manager": m["manager"], "operation": m["operation"]});
            }
        }
        if let Some(Value::Array(owners)) = meta.get_mut("ownerReferences") {
            for r in owners.iter_mut() {
                if Some(&r["uid"]) == pod_uid.as_ref() {
                    r["uid"] = json!("<driver-pod-uid>");
                }
            }
        }
    }
    all
}

fn golden_path(case: &Case) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/direct")
        .join(format!("{}.json", case.name))
}

/// A golden: the spark-submit arguments it was captured with and the objects.
fn read_golden(case: &Case) -> (Vec<String>, Vec<Value>) {
    let path = golden_path(case);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; capture it with SPARK_K8S_CLI_BLESS=1 cargo test --test direct_golden",
            path.display()
        )
    });
    let v: Value = serde_json::from_str(&text).unwrap();
    let argv = serde_json::from_value(v["sparkSubmitArgs"].clone()).unwrap();
    let objects = serde_json::from_value(v["objects"].clone()).unwrap();
    (argv, objects)
}

/// Runs the JVM spark-submit with `args`; its output when it did not deploy. The user is the
/// one `pod` mode gives the submit pod (`SPARK_USER`).
fn run_spark_submit(bin: &Path, args: &[String], case: &str) -> Result<(), String> {
    let sandbox = format!("direct-golden-{case}");
    let (code, text) = pyenv::run_spark_submit(
        bin,
        args,
        &sandbox,
        &[("SPARK_USER", "alice"), ("JAVA_TOOL_OPTIONS", JVM_OPTIONS)],
    );
    if code == 0 && text.contains("Deployed Spark application") {
        Ok(())
    } else {
        Err(format!(
            "{case}: spark-submit {args:?} did not deploy:\n{text}"
        ))
    }
}

/// The values Spark draws at random for one submission, each checked for its shape.
#[derive(Debug, Default)]
struct Randoms {
    /// `spark-` and 32 hex digits (`spark.app.id`, the `spark-app-selector` label).
    app_id: String,
    /// The 16 hex digits of the resource name prefix (`<app>-<id>`: the NetworkPolicy's and
    /// the Service's names).
    resource_id: String,
    /// The Service's own 16 hex digits when the prefix makes too long a name (else empty).
    service_id: String,
    /// The 16 hex digits of the ConfigMap's name (`spark-drv-<id>-conf-map`).
    config_map_id: String,
    /// The UUID of the local dir (`/var/data/spark-<uuid>`).
    local_dir_uuid: String,
    /// `spark.app.submitTime`, epoch milliseconds.
    submit_time: String,
    /// The date `java.util.Properties.store` writes on the second line of `spark.properties`.
    stored_at: String,
    /// `host:port` of the kubesim the capture ran against (in `spark.master`).
    server: String,
}

/// What `s` holds between `prefix` and `suffix` (empty when it is not so framed).
fn between(s: &str, prefix: &str, suffix: &str) -> String {
    s.strip_prefix(prefix)
        .and_then(|s| s.strip_suffix(suffix))
        .unwrap_or_default()
        .to_string()
}

fn hex_of(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Randoms {
    fn extract(objects: &[Value], args: &[String]) -> Result<Randoms, String> {
        let mut r = Randoms::default();
        let of_kind = |k: &str| objects.iter().find(|o| o["kind"] == k);
        let pod = of_kind("Pod").ok_or("no driver pod")?;
        // The driver's ConfigMap (an executor pod template has one of its own).
        let cm = objects
            .iter()
            .find(|o| {
                o["kind"] == "ConfigMap"
                    && o["metadata"]["name"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("spark-drv-"))
            })
            .ok_or("no spark-drv-<id>-conf-map ConfigMap")?;
        let svc = of_kind("Service").ok_or("no Service")?;
        r.app_id = pod["metadata"]["labels"]["spark-app-selector"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !(r.app_id.starts_with("spark-") && hex_of(&r.app_id[6..], 32)) {
            return Err(format!("app id {:?}: not spark-<32 hex>", r.app_id));
        }
        // The resource name prefix `<app>-<16 hex>` names the NetworkPolicy and, when short
        // enough, the Service; a long one gives the Service a random name of its own.
        let policy = of_kind("NetworkPolicy").ok_or("no NetworkPolicy")?;
        let policy_name = policy["metadata"]["name"].as_str().unwrap_or_default();
        let prefix = policy_name
            .strip_suffix("-policy")
            .ok_or(format!("NetworkPolicy {policy_name}: not <prefix>-policy"))?;
        r.resource_id = prefix.rsplit('-').next().unwrap_or_default().to_string();
        // An app name with nothing of `[a-z0-9-]` leaves the id alone in the prefix, where a
        // leading digit becomes `x` (`getResourceNamePrefix`; the case `non-ascii-name`).
        let id_shape = hex_of(&r.resource_id, 16)
            || (prefix == r.resource_id
                && r.resource_id.starts_with('x')
                && hex_of(&r.resource_id[1..], 15));
        if !id_shape {
            return Err(format!(
                "NetworkPolicy {policy_name}: prefix without 16 hex digits"
            ));
        }
        let svc_name = svc["metadata"]["name"].as_str().unwrap_or_default();
        if svc_name != format!("{prefix}-driver-svc") {
            r.service_id = between(svc_name, "spark-", "-driver-svc");
            if !hex_of(&r.service_id, 16) {
                return Err(format!(
                    "Service {svc_name}: neither {prefix}-driver-svc nor spark-<16 hex>-driver-svc"
                ));
            }
        }
        let cm_name = cm["metadata"]["name"].as_str().unwrap_or_default();
        r.config_map_id = between(cm_name, "spark-drv-", "-conf-map");
        if !hex_of(&r.config_map_id, 16) {
            return Err(format!(
                "ConfigMap {cm_name}: not spark-drv-<16 hex>-conf-map"
            ));
        }
        // The driver container: a pod template's other containers come first, and its name
        // may be the template's.
        let env = pod["spec"]["containers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["env"].as_array())
            .find(|env| env.iter().any(|e| e["name"] == "SPARK_LOCAL_DIRS"))
            .ok_or("no container with SPARK_LOCAL_DIRS")?;
        let dirs = env
            .iter()
            .find(|e| e["name"] == "SPARK_LOCAL_DIRS")
            .and_then(|e| e["value"].as_str())
            .unwrap_or_default();
        r.local_dir_uuid = dirs
            .strip_prefix("/var/data/spark-")
            .unwrap_or_default()
            .to_string();
        // `spark.local.dir` or volumes named `spark-local-dir-*` give the dirs instead
        // (`LocalDirsFeatureStep`): no random one.
        let named = !dirs.starts_with("/var/data/spark-");
        let u = r.local_dir_uuid.as_bytes();
        let uuid_shape = (named && u.is_empty() && !dirs.is_empty())
            || u.len() == 36
                && u.iter().enumerate().all(|(i, b)| match i {
                    8 | 13 | 18 | 23 => *b == b'-',
                    _ => b.is_ascii_hexdigit(),
                });
        if !uuid_shape {
            return Err(format!(
                "SPARK_LOCAL_DIRS {dirs:?}: not /var/data/spark-<uuid>"
            ));
        }
        let props = cm["data"]["spark.properties"]
            .as_str()
            .ok_or("no spark.properties")?;
        r.submit_time = props
            .lines()
            .find_map(|l| l.strip_prefix("spark.app.submitTime="))
            .unwrap_or_default()
            .to_string();
        if r.submit_time.len() != 13 || !r.submit_time.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "spark.app.submitTime {:?}: not epoch millis",
                r.submit_time
            ));
        }
        r.stored_at = props
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix('#'))
            .unwrap_or_default()
            .to_string();
        // `Sun Dec 07 20:47:01 UTC 2026`: java.util.Date's toString.
        let words: Vec<&str> = r.stored_at.split(' ').collect();
        if words.len() != 6 || words[3].len() != 8 || words[5].len() != 4 {
            return Err(format!(
                "properties date {:?}: not Date.toString",
                r.stored_at
            ));
        }
        let at = args
            .iter()
            .position(|a| a == "--master")
            .ok_or("no --master")?;
        r.server = args[at + 1]
            .strip_prefix("k8s://http://")
            .unwrap_or_default()
            .to_string();
        Ok(r)
    }

    /// Every random value replaced by its name, in every string of `v`.
    fn tokenize(&self, v: &Value) -> Value {
        let server_escaped = self.server.replace(':', "\\:");
        let pairs = [
            (self.app_id.as_str(), "<app-id>"),
            (&self.resource_id, "<resource-id>"),
            (&self.service_id, "<service-id>"),
            (&self.config_map_id, "<config-map-id>"),
            (&self.local_dir_uuid, "<local-dir-uuid>"),
            (&self.submit_time, "<submit-time>"),
            (&self.stored_at, "<stored-at>"),
            (&self.server, "<kubesim>"),
            (&server_escaped, "<kubesim>"),
        ];
        match v {
            Value::String(s) => {
                let mut s = s.clone();
                for (from, to) in pairs.iter().filter(|(from, _)| !from.is_empty()) {
                    s = s.replace(from, to);
                }
                Value::String(s)
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.tokenize(x)).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), self.tokenize(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// Each leaf of `v` by its JSON path; a multi-line string (`spark.properties`) gives one
/// entry per line, so that a difference names the line.
fn leaves(path: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| leaves(&format!("{path}.{k}"), x, out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(&format!("{path}[{i}]"), x, out)),
        Value::String(text) if text.contains('\n') => text.lines().for_each(|l| {
            out.insert(format!("{path} has line {l}"), json!(true));
        }),
        leaf => {
            out.insert(path.to_string(), leaf.clone());
        }
    }
}

/// Every difference between `want` and `have`, one line per JSON path; `names` says whose
/// each side is.
fn diff(names: (&str, &str), want: &Value, have: &Value) -> Vec<String> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    leaves("", want, &mut a);
    leaves("", have, &mut b);
    let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let absent = json!("(absent)");
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .map(|p| {
            let (x, y) = (a.get(p).unwrap_or(&absent), b.get(p).unwrap_or(&absent));
            format!("{p}: {} {x}, {} {y}", names.0, names.1)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goldens_are_what_spark_submit_creates() {
    let bin = pyenv::spark_submit();
    let bless = std::env::var_os("SPARK_K8S_CLI_BLESS").is_some();
    let cases = selected();
    write_templates(&cases);
    let mut sims = Vec::new();
    for _ in &cases {
        let sim = sim().await;
        let before = baseline(&sim);
        sims.push((sim, before));
    }
    let servers: Vec<String> = sims.iter().map(|(s, _)| s.url(0)).collect();
    // Two JVMs at a time: each takes about 5 s of CPU.
    let jvm_cases = cases.clone();
    let failures = tokio::task::spawn_blocking(move || {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let failures = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(case) = jvm_cases.get(i) else { break };
                        let args = spark_submit_args(case, &servers[i]);
                        if let Err(e) = run_spark_submit(&bin, &args, case.name) {
                            failures.lock().unwrap().push(e);
                        }
                    }
                });
            }
        });
        failures.into_inner().unwrap()
    })
    .await
    .unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    let mut problems = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let (sim, before) = &sims[i];
        let args = spark_submit_args(case, &sim.url(0));
        let objects = created(sim, before);
        let live = match Randoms::extract(&objects, &args) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{}: {e}", case.name));
                continue;
            }
        };
        if bless {
            let golden = json!({"sparkSubmitArgs": args, "objects": objects});
            let path = golden_path(case);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, serde_json::to_string_pretty(&golden).unwrap() + "\n").unwrap();
            continue;
        }
        let (golden_args, golden_objects) = read_golden(case);
        let golden = Randoms::extract(&golden_objects, &golden_args)
            .unwrap_or_else(|e| panic!("{}: golden: {e}", case.name));
        let mut out = diff(
            ("golden", "spark-submit now"),
            &unshuffle_local_dirs(golden.tokenize(&json!(golden_objects))),
            &unshuffle_local_dirs(live.tokenize(&json!(objects))),
        );
        if golden.tokenize(&json!(golden_args)) != live.tokenize(&json!(args)) {
            out.push("the spark-submit arguments changed".into());
        }
        if !out.is_empty() {
            problems.push(format!(
                "{}: Spark's spark-submit no longer creates the golden (SPARK_K8S_CLI_BLESS=1 \
                 to rewrite it):\n  {}",
                case.name,
                out.join("\n  ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The golden's objects and ours made comparable: managed fields out (kubesim records them for
/// requests over the wire only; [`plan::direct::ORDER`] is checked against them instead),
/// `spark.properties` without its date (its lines compare as a set, [`leaves`]), env, volumes
/// and mounts by name
/// (Spark's order there is a Java hash map's, docs/direct-submit.md).
fn comparable(objects: &[Value]) -> Value {
    let mut out = objects.to_vec();
    for o in &mut out {
        o["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("managedFields");
        if let Some(text) = o.pointer_mut("/data/spark.properties") {
            // The date line is the store time's: checked by shape in [`Randoms::extract`].
            let lines: Vec<&str> = text.as_str().unwrap().lines().collect();
            *text = json!([&lines[..1], &lines[2..]].concat().join("\n"));
        }
        let by_name = |v: &mut Value| {
            if let Some(a) = v.as_array_mut() {
                a.sort_by_key(|x| x["name"].as_str().unwrap_or("").to_string());
            }
        };
        if o["kind"] == "Pod" {
            by_name(&mut o["spec"]["volumes"]);
            for c in o["spec"]["containers"].as_array_mut().unwrap() {
                by_name(&mut c["env"]);
                by_name(&mut c["volumeMounts"]);
            }
        }
    }
    unshuffle_local_dirs(json!(out))
}

/// The local dirs in path order: `LocalDirsFeatureStep` shuffles them (`Utils.randomize`), so
/// `SPARK_LOCAL_DIRS` and which `spark-local-dir-N` mounts which path are random by design.
fn unshuffle_local_dirs(mut objects: Value) -> Value {
    let is_local = |v: &Value| {
        v["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("spark-local-dir-"))
    };
    for o in objects.as_array_mut().into_iter().flatten() {
        if o["kind"] != "Pod" {
            continue;
        }
        for c in o["spec"]["containers"].as_array_mut().into_iter().flatten() {
            for e in c["env"].as_array_mut().into_iter().flatten() {
                if e["name"] == "SPARK_LOCAL_DIRS"
                    && let Some(dirs) = e["value"].as_str()
                {
                    let mut dirs: Vec<&str> = dirs.split(',').collect();
                    dirs.sort();
                    e["value"] = json!(dirs.join(","));
                }
            }
            let mounts = c["volumeMounts"].as_array_mut().into_iter().flatten();
            let local: Vec<&mut Value> = mounts.filter(|m| is_local(m)).collect();
            let mut paths: Vec<Value> = local.iter().map(|m| m["mountPath"].clone()).collect();
            paths.sort_by_key(|p| p.as_str().unwrap_or_default().to_string());
            for (m, p) in local.into_iter().zip(paths) {
                m["mountPath"] = p;
            }
        }
    }
    objects
}

/// Creates the builder's objects in `sim` as direct mode will: the pod, then the rest owned by it.
fn create_ours(sim: &Sim, ours: plan::direct::Objects) {
    let store = &sim.clusters[0].store;
    let create = |group: &str, plural: &str, ns: &str, v: Value| {
        let r = kubesim::resources::find(group, "v1", plural).unwrap();
        store
            .create(r, ns, v)
            .unwrap_or_else(|e| panic!("create {plural}: {}", e.message()))
    };
    let mut ours = ours;
    let ns = ours.pod.metadata.namespace.clone().unwrap();
    let pod = create("", "pods", &ns, serde_json::to_value(&ours.pod).unwrap());
    ours.own(pod["metadata"]["uid"].as_str().unwrap());
    // What kubesim's API layer does to a created Service before storing it (api.rs).
    let mut service = serde_json::to_value(&ours.service).unwrap();
    kubesim::services::allocate(&sim.clusters[0], &mut service);
    create("", "services", &ns, service);
    create(
        "networking.k8s.io",
        "networkpolicies",
        &ns,
        serde_json::to_value(&ours.network_policy).unwrap(),
    );
    if let Some(template) = &ours.executor_pod_template {
        create(
            "",
            "configmaps",
            &ns,
            serde_json::to_value(template).unwrap(),
        );
    }
    create(
        "",
        "configmaps",
        &ns,
        serde_json::to_value(&ours.config_map).unwrap(),
    );
}

#[tokio::test]
async fn builder_matches_goldens() {
    let mut problems = Vec::new();
    for case in selected() {
        let (args, golden) = read_golden(case);
        let r = Randoms::extract(&golden, &args)
            .unwrap_or_else(|e| panic!("{}: golden: {e}", case.name));
        // Spark's writes, in order, with its field managers.
        let writes: Vec<(String, String, String)> = golden
            .iter()
            .map(|o| {
                let m = &o["metadata"]["managedFields"][0];
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                (s(&o["kind"]), s(&m["operation"]), s(&m["manager"]))
            })
            .collect();
        // The job as the submit pod's spark-submit sees it.
        let s = spark_k8s_cli::cli::prepare(
            spark_k8s_cli::parse::SparkCommand::Submit,
            "spark-submit",
            &args,
            &env_of(&[]),
            &files_of(&[]),
        )
        .unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        let randoms = plan::direct::Randoms {
            app_id: r.app_id.clone(),
            resource_id: r.resource_id.clone(),
            service_id: r.service_id.clone(),
            config_map_id: r.config_map_id.clone(),
            local_dir_uuid: r.local_dir_uuid.clone(),
            submit_time_millis: r.submit_time.parse().unwrap(),
        };
        let files = plan::direct::Files {
            driver_pod_template: template_of(case.name).map(str::to_string),
            executor_pod_template: template_of(&format!("{}-executor", case.name))
                .map(str::to_string),
        };
        let ours = match plan::direct::build_with(&s, &randoms, "alice", &files) {
            Ok(o) => o,
            Err(e) => {
                problems.push(format!("{}: {e:?}", case.name));
                continue;
            }
        };
        // ORDER; an executor pod template's ConfigMap is applied like the driver's, before it.
        let mut order: Vec<(String, String, String)> = plan::direct::ORDER
            .iter()
            .map(|(kind, write, manager)| {
                let op = match write {
                    plan::direct::Write::Create => "Update",
                    plan::direct::Write::Apply => "Apply",
                };
                (kind.to_string(), op.to_string(), manager.to_string())
            })
            .collect();
        if ours.executor_pod_template.is_some() {
            order.insert(3, order[3].clone());
        }
        if writes != order {
            problems.push(format!(
                "{}: Spark wrote {writes:?}, we write {order:?}",
                case.name
            ));
        }
        let sim = sim().await;
        let before = baseline(&sim);
        create_ours(&sim, ours);
        let out = diff(
            ("Spark", "ours"),
            &comparable(&golden),
            &comparable(&created(&sim, &before)),
        );
        if !out.is_empty() {
            problems.push(format!("{}:\n  {}", case.name, out.join("\n  ")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Options for the JVMs of a capture (the launcher's and spark-submit's): a short-lived
/// process spends most of its CPU in the JIT's optimising compiler; C1 alone and the serial GC
/// halve the suite's CPU time without changing what spark-submit creates.
const JVM_OPTIONS: &str = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData";
