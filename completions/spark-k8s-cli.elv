
use builtin;
use str;

set edit:completion:arg-completer[spark-k8s-cli] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'spark-k8s-cli'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'spark-k8s-cli'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the jobs of every launcher in a namespace (every cluster of a fleet)'
            cand queue 'List the waiting and admitted jobs of every launcher'
            cand clusters 'Probe the fleet''s clusters now: health, latency, circuit, quota headroom, running and queued jobs'
            cand alert 'Send a sample event through the alert sinks'
            cand logs 'Print a job''s driver log'
            cand sessions 'List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when, cluster, idle time'
            cand attach 'Attach this terminal to a running session again (after a lost connection or a killed launcher)'
            cand completions 'Print shell completions'
            cand settings 'List the launcher settings (--markdown for docs/config.md)'
            cand demo 'Run a three-cluster demo fleet in this process and a burst of jobs through it'
            cand sim 'Run the kubesim Kubernetes API emulator'
            cand flags 'List every spark-submit option (--markdown for docs/flags.md)'
            cand rbac 'Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and for the submit pod (kubectl apply -f -)'
            cand submit 'Submit an application (the default when the first argument is an option)'
            cand shell 'spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
            cand pyspark 'pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
            cand sql 'spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
            cand kill 'Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its phase (spark-submit --kill ID)'
            cand status 'Print the status of a job''s driver, or of its submit pod before a driver exists (spark-submit --status ID)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'spark-k8s-cli;list'= {
            cand --queue 'Only the jobs of this queue'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --master 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member'
            cand -n 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --namespace 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --context 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]'
            cand --kubeconfig 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'spark-k8s-cli;queue'= {
            cand --queue 'Only the jobs of this queue'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --master 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member'
            cand -n 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --namespace 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --context 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]'
            cand --kubeconfig 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'spark-k8s-cli;clusters'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'spark-k8s-cli;alert'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand test 'Send a sample event through the configured sinks (all of them, or one)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'spark-k8s-cli;alert;test'= {
            cand --sink 'Only the sink of this name (from alertSinks)'
            cand --event 'The kind of event to send'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;alert;help'= {
            cand test 'Send a sample event through the configured sinks (all of them, or one)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'spark-k8s-cli;alert;help;test'= {
        }
        &'spark-k8s-cli;alert;help;help'= {
        }
        &'spark-k8s-cli;logs'= {
            cand --master 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member'
            cand -n 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --namespace 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --context 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]'
            cand --kubeconfig 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]'
            cand -f 'Keep printing while the driver runs'
            cand --follow 'Keep printing while the driver runs'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;sessions'= {
            cand --queue 'Only the jobs of this queue'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --master 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member'
            cand -n 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --namespace 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --context 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]'
            cand --kubeconfig 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'spark-k8s-cli;attach'= {
            cand --master 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member'
            cand -n 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --namespace 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]'
            cand --context 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]'
            cand --kubeconfig 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;settings'= {
            cand --markdown 'Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;demo'= {
            cand --jobs 'How many jobs to run through the fleet'
            cand --deploy-mode 'Where the drivers run: in the cluster, or in the submit pod (client)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;sim'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand serve 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'spark-k8s-cli;sim;serve'= {
            cand --clusters 'Number of clusters (contexts kubesim-1 … kubesim-N). Default 1'
            cand --config 'A YAML file of simulator settings (clusters, token, tls, historyLimit, quota, nodes, startDelayMs, quotaConflictRate, access, latency); flags given on the command line win'
            cand --kubeconfig-out 'Where to write the kubeconfig'
            cand --quota 'Create ResourceQuota `compute` in `default` on every cluster, e.g. cpu=8,memory=32Gi,pods=10'
            cand --latency 'Latency profile: instant (every step at once) or realistic (scheduling, image pulls, container start and the JVM spark-submit''s start-up take the times of a real cluster; the config file''s `latency:` block tunes them). Default: the config file''s, else instant'
            cand --tls 'Serve HTTPS with a CA generated for this run (written into the kubeconfig); the bearer token is then required'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;sim;help'= {
            cand serve 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'spark-k8s-cli;sim;help;serve'= {
        }
        &'spark-k8s-cli;sim;help;help'= {
        }
        &'spark-k8s-cli;flags'= {
            cand --markdown 'Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;rbac'= {
            cand -n 'The namespace the jobs run in'
            cand --namespace 'The namespace the jobs run in'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'spark-k8s-cli;submit'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -h 'show the help message and exit'
            cand --help 'show the help message and exit'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
        }
        &'spark-k8s-cli;shell'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -h 'show the help message and exit'
            cand --help 'show the help message and exit'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
        }
        &'spark-k8s-cli;pyspark'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -h 'show the help message and exit'
            cand --help 'show the help message and exit'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
        }
        &'spark-k8s-cli;sql'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -h 'show the help message and exit'
            cand --help 'show the help message and exit'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
        }
        &'spark-k8s-cli;kill'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'spark-k8s-cli;status'= {
            cand --master 'k8s://https://host:port (other masters are rejected)'
            cand --deploy-mode 'client or cluster (default: client)'
            cand --class 'the application''s main class (Java / Scala apps)'
            cand --name 'a name for the application'
            cand --jars 'comma-separated jars for the driver and executor classpaths'
            cand --packages 'comma-separated maven coordinates groupId:artifactId:version'
            cand --exclude-packages 'comma-separated groupId:artifactId to exclude from --packages'
            cand --repositories 'comma-separated extra remote repositories for --packages'
            cand --py-files 'comma-separated .zip, .egg or .py files for the PYTHONPATH'
            cand --files 'comma-separated files placed in each executor''s working directory'
            cand --archives 'comma-separated archives extracted in each executor''s working directory'
            cand -c 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --conf 'an arbitrary Spark (or spark.k8scli.*) property'
            cand --properties-file 'load properties from FILE instead of spark-defaults.conf'
            cand --extra-properties-file 'layer another properties file over --properties-file (repeatable)'
            cand --driver-memory 'memory for the driver, e.g. 1000M, 2G (default 1024M)'
            cand --driver-java-options 'extra Java options for the driver'
            cand --driver-library-path 'extra library path entries for the driver'
            cand --driver-class-path 'extra class path entries for the driver'
            cand --driver-default-class-path 'default extra class path for the driver (internal)'
            cand --executor-memory 'memory per executor, e.g. 1000M, 2G (default 1G)'
            cand --proxy-user 'user to impersonate when submitting'
            cand --remote 'Spark Connect server URL (not supported by this launcher)'
            cand --driver-cores 'cores for the driver (cluster mode, default 1)'
            cand --kill 'kill the driver [namespace:]pod-name (trailing * globs)'
            cand --status 'print the status of the driver [namespace:]pod-name'
            cand --total-executor-cores 'standalone only; recorded as spark.cores.max'
            cand --executor-cores 'cores per executor (default 1)'
            cand --num-executors 'number of executors (default 2)'
            cand --principal 'Kerberos principal'
            cand --keytab 'Kerberos keytab file'
            cand --queue 'the launcher queue the job waits in (YARN''s queue in Spark)'
            cand --launcher-config 'the launcher''s YAML config file'
            cand --load-spark-defaults 'load spark-defaults.conf even when --properties-file is given'
            cand -v 'print the parsed arguments and effective properties'
            cand --verbose 'print the parsed arguments and effective properties'
            cand --version 'print the version and exit'
            cand --supervise 'standalone only; ignored on Kubernetes'
            cand --usage-error 'print usage and exit 1 (internal)'
            cand --dry-run 'print what would be created, as YAML, and touch no cluster'
            cand --show-secrets 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'spark-k8s-cli;help'= {
            cand list 'List the jobs of every launcher in a namespace (every cluster of a fleet)'
            cand queue 'List the waiting and admitted jobs of every launcher'
            cand clusters 'Probe the fleet''s clusters now: health, latency, circuit, quota headroom, running and queued jobs'
            cand alert 'Send a sample event through the alert sinks'
            cand logs 'Print a job''s driver log'
            cand sessions 'List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when, cluster, idle time'
            cand attach 'Attach this terminal to a running session again (after a lost connection or a killed launcher)'
            cand completions 'Print shell completions'
            cand settings 'List the launcher settings (--markdown for docs/config.md)'
            cand demo 'Run a three-cluster demo fleet in this process and a burst of jobs through it'
            cand sim 'Run the kubesim Kubernetes API emulator'
            cand flags 'List every spark-submit option (--markdown for docs/flags.md)'
            cand rbac 'Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and for the submit pod (kubectl apply -f -)'
            cand submit 'Submit an application (the default when the first argument is an option)'
            cand shell 'spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
            cand pyspark 'pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
            cand sql 'spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
            cand kill 'Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its phase (spark-submit --kill ID)'
            cand status 'Print the status of a job''s driver, or of its submit pod before a driver exists (spark-submit --status ID)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'spark-k8s-cli;help;list'= {
        }
        &'spark-k8s-cli;help;queue'= {
        }
        &'spark-k8s-cli;help;clusters'= {
        }
        &'spark-k8s-cli;help;alert'= {
            cand test 'Send a sample event through the configured sinks (all of them, or one)'
        }
        &'spark-k8s-cli;help;alert;test'= {
        }
        &'spark-k8s-cli;help;logs'= {
        }
        &'spark-k8s-cli;help;sessions'= {
        }
        &'spark-k8s-cli;help;attach'= {
        }
        &'spark-k8s-cli;help;completions'= {
        }
        &'spark-k8s-cli;help;settings'= {
        }
        &'spark-k8s-cli;help;demo'= {
        }
        &'spark-k8s-cli;help;sim'= {
            cand serve 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them'
        }
        &'spark-k8s-cli;help;sim;serve'= {
        }
        &'spark-k8s-cli;help;flags'= {
        }
        &'spark-k8s-cli;help;rbac'= {
        }
        &'spark-k8s-cli;help;submit'= {
        }
        &'spark-k8s-cli;help;shell'= {
        }
        &'spark-k8s-cli;help;pyspark'= {
        }
        &'spark-k8s-cli;help;sql'= {
        }
        &'spark-k8s-cli;help;kill'= {
        }
        &'spark-k8s-cli;help;status'= {
        }
        &'spark-k8s-cli;help;help'= {
        }
    ]
    $completions[$command]
}
