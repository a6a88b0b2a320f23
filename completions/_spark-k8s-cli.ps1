
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'spark-k8s-cli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'spark-k8s-cli'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'spark-k8s-cli' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the jobs of every launcher in a namespace (every cluster of a fleet)')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'List the waiting and admitted jobs of every launcher')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'Probe the fleet''s clusters now: health, latency, circuit, quota headroom, running and queued jobs')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Send a sample event through the alert sinks')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a job''s driver log')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when, cluster, idle time')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach this terminal to a running session again (after a lost connection or a killed launcher)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff): the binary''s, or a command''s (`man clusters | man -l -`)')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'List the launcher settings (--markdown for docs/config.md)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run a three-cluster demo fleet in this process and a burst of jobs through it')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run the kubesim Kubernetes API emulator')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'List every spark-submit option (--markdown for docs/flags.md)')
            [CompletionResult]::new('rbac', 'rbac', [CompletionResultType]::ParameterValue, 'Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and for the submit pod (kubectl apply -f -)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the setup against every configured cluster (reachability, TLS, credentials, clock, RBAC, the submit service account, quota, LimitRanges, the launcher config and image), with a fix for each problem; exit 1 when something is broken')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit an application (the default when the first argument is an option)')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job')
            [CompletionResult]::new('pyspark', 'pyspark', [CompletionResultType]::ParameterValue, 'pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its phase (spark-submit --kill ID)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print the status of a job''s driver, or of its submit pod before a driver exists (spark-submit --status ID)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;list' {
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Only the jobs of this queue')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;queue' {
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Only the jobs of this queue')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;clusters' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;alert' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event through the configured sinks (all of them, or one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;alert;test' {
            [CompletionResult]::new('--sink', '--sink', [CompletionResultType]::ParameterName, 'Only the sink of this name (from alertSinks)')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The kind of event to send')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;alert;help' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event through the configured sinks (all of them, or one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;alert;help;test' {
            break
        }
        'spark-k8s-cli;alert;help;help' {
            break
        }
        'spark-k8s-cli;logs' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing while the driver runs')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing while the driver runs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;sessions' {
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Only the jobs of this queue')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;attach' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context''s]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;completions' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;man' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;settings' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;demo' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many jobs to run through the fleet')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'Where the drivers run: in the cluster, or in the submit pod (client)')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;sim' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;sim;serve' {
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Number of clusters (contexts kubesim-1 … kubesim-N). Default 1')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'A YAML file of simulator settings (clusters, token, tls, historyLimit, quota, nodes, startDelayMs, quotaConflictRate, access, latency); flags given on the command line win')
            [CompletionResult]::new('--kubeconfig-out', '--kubeconfig-out', [CompletionResultType]::ParameterName, 'Where to write the kubeconfig')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Create ResourceQuota `compute` in `default` on every cluster, e.g. cpu=8,memory=32Gi,pods=10')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Latency profile: instant (every step at once) or realistic (scheduling, image pulls, container start and the JVM spark-submit''s start-up take the times of a real cluster; the config file''s `latency:` block tunes them). Default: the config file''s, else instant')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Serve HTTPS with a CA generated for this run (written into the kubeconfig); the bearer token is then required')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;sim;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;sim;help;serve' {
            break
        }
        'spark-k8s-cli;sim;help;help' {
            break
        }
        'spark-k8s-cli;flags' {
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;rbac' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace the jobs run in')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace the jobs run in')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'spark-k8s-cli;doctor' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'What the launcher says on stderr: error, warn, info (default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: each stderr line as one JSON object, for log shippers')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;submit' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result')
            break
        }
        'spark-k8s-cli;shell' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result')
            break
        }
        'spark-k8s-cli;pyspark' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result')
            break
        }
        'spark-k8s-cli;sql' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'show the help message and exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result')
            break
        }
        'spark-k8s-cli;kill' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;status' {
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'k8s://https://host:port (other masters are rejected)')
            [CompletionResult]::new('--deploy-mode', '--deploy-mode', [CompletionResultType]::ParameterName, 'client or cluster (default: client)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'the application''s main class (Java / Scala apps)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'a name for the application')
            [CompletionResult]::new('--jars', '--jars', [CompletionResultType]::ParameterName, 'comma-separated jars for the driver and executor classpaths')
            [CompletionResult]::new('--packages', '--packages', [CompletionResultType]::ParameterName, 'comma-separated maven coordinates groupId:artifactId:version')
            [CompletionResult]::new('--exclude-packages', '--exclude-packages', [CompletionResultType]::ParameterName, 'comma-separated groupId:artifactId to exclude from --packages')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'comma-separated extra remote repositories for --packages')
            [CompletionResult]::new('--py-files', '--py-files', [CompletionResultType]::ParameterName, 'comma-separated .zip, .egg or .py files for the PYTHONPATH')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'comma-separated files placed in each executor''s working directory')
            [CompletionResult]::new('--archives', '--archives', [CompletionResultType]::ParameterName, 'comma-separated archives extracted in each executor''s working directory')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--conf', '--conf', [CompletionResultType]::ParameterName, 'an arbitrary Spark (or spark.k8scli.*) property')
            [CompletionResult]::new('--properties-file', '--properties-file', [CompletionResultType]::ParameterName, 'load properties from FILE instead of spark-defaults.conf')
            [CompletionResult]::new('--extra-properties-file', '--extra-properties-file', [CompletionResultType]::ParameterName, 'layer another properties file over --properties-file (repeatable)')
            [CompletionResult]::new('--driver-memory', '--driver-memory', [CompletionResultType]::ParameterName, 'memory for the driver, e.g. 1000M, 2G (default 1024M)')
            [CompletionResult]::new('--driver-java-options', '--driver-java-options', [CompletionResultType]::ParameterName, 'extra Java options for the driver')
            [CompletionResult]::new('--driver-library-path', '--driver-library-path', [CompletionResultType]::ParameterName, 'extra library path entries for the driver')
            [CompletionResult]::new('--driver-class-path', '--driver-class-path', [CompletionResultType]::ParameterName, 'extra class path entries for the driver')
            [CompletionResult]::new('--driver-default-class-path', '--driver-default-class-path', [CompletionResultType]::ParameterName, 'default extra class path for the driver (internal)')
            [CompletionResult]::new('--executor-memory', '--executor-memory', [CompletionResultType]::ParameterName, 'memory per executor, e.g. 1000M, 2G (default 1G)')
            [CompletionResult]::new('--proxy-user', '--proxy-user', [CompletionResultType]::ParameterName, 'user to impersonate when submitting')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Spark Connect server URL (not supported by this launcher)')
            [CompletionResult]::new('--driver-cores', '--driver-cores', [CompletionResultType]::ParameterName, 'cores for the driver (cluster mode, default 1)')
            [CompletionResult]::new('--kill', '--kill', [CompletionResultType]::ParameterName, 'kill the driver [namespace:]pod-name (trailing * globs)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'print the status of the driver [namespace:]pod-name')
            [CompletionResult]::new('--total-executor-cores', '--total-executor-cores', [CompletionResultType]::ParameterName, 'standalone only; recorded as spark.cores.max')
            [CompletionResult]::new('--executor-cores', '--executor-cores', [CompletionResultType]::ParameterName, 'cores per executor (default 1)')
            [CompletionResult]::new('--num-executors', '--num-executors', [CompletionResultType]::ParameterName, 'number of executors (default 2)')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Kerberos principal')
            [CompletionResult]::new('--keytab', '--keytab', [CompletionResultType]::ParameterName, 'Kerberos keytab file')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'the launcher queue the job waits in (YARN''s queue in Spark)')
            [CompletionResult]::new('--launcher-config', '--launcher-config', [CompletionResultType]::ParameterName, 'the launcher''s YAML config file')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods'' state (json, yaml or wide)')
            [CompletionResult]::new('--load-spark-defaults', '--load-spark-defaults', [CompletionResultType]::ParameterName, 'load spark-defaults.conf even when --properties-file is given')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'print the parsed arguments and effective properties')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'print the version and exit')
            [CompletionResult]::new('--supervise', '--supervise', [CompletionResultType]::ParameterName, 'standalone only; ignored on Kubernetes')
            [CompletionResult]::new('--usage-error', '--usage-error', [CompletionResultType]::ParameterName, 'print usage and exit 1 (internal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'print what would be created, as YAML, and touch no cluster')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'spark-k8s-cli;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the jobs of every launcher in a namespace (every cluster of a fleet)')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'List the waiting and admitted jobs of every launcher')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'Probe the fleet''s clusters now: health, latency, circuit, quota headroom, running and queued jobs')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Send a sample event through the alert sinks')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a job''s driver log')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when, cluster, idle time')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach this terminal to a running session again (after a lost connection or a killed launcher)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff): the binary''s, or a command''s (`man clusters | man -l -`)')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'List the launcher settings (--markdown for docs/config.md)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run a three-cluster demo fleet in this process and a burst of jobs through it')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run the kubesim Kubernetes API emulator')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'List every spark-submit option (--markdown for docs/flags.md)')
            [CompletionResult]::new('rbac', 'rbac', [CompletionResultType]::ParameterValue, 'Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and for the submit pod (kubectl apply -f -)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the setup against every configured cluster (reachability, TLS, credentials, clock, RBAC, the submit service account, quota, LimitRanges, the launcher config and image), with a fix for each problem; exit 1 when something is broken')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit an application (the default when the first argument is an option)')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job')
            [CompletionResult]::new('pyspark', 'pyspark', [CompletionResultType]::ParameterValue, 'pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its phase (spark-submit --kill ID)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print the status of a job''s driver, or of its submit pod before a driver exists (spark-submit --status ID)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;help;list' {
            break
        }
        'spark-k8s-cli;help;queue' {
            break
        }
        'spark-k8s-cli;help;clusters' {
            break
        }
        'spark-k8s-cli;help;alert' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event through the configured sinks (all of them, or one)')
            break
        }
        'spark-k8s-cli;help;alert;test' {
            break
        }
        'spark-k8s-cli;help;logs' {
            break
        }
        'spark-k8s-cli;help;sessions' {
            break
        }
        'spark-k8s-cli;help;attach' {
            break
        }
        'spark-k8s-cli;help;completions' {
            break
        }
        'spark-k8s-cli;help;man' {
            break
        }
        'spark-k8s-cli;help;settings' {
            break
        }
        'spark-k8s-cli;help;demo' {
            break
        }
        'spark-k8s-cli;help;sim' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them')
            break
        }
        'spark-k8s-cli;help;sim;serve' {
            break
        }
        'spark-k8s-cli;help;flags' {
            break
        }
        'spark-k8s-cli;help;rbac' {
            break
        }
        'spark-k8s-cli;help;doctor' {
            break
        }
        'spark-k8s-cli;help;submit' {
            break
        }
        'spark-k8s-cli;help;shell' {
            break
        }
        'spark-k8s-cli;help;pyspark' {
            break
        }
        'spark-k8s-cli;help;sql' {
            break
        }
        'spark-k8s-cli;help;kill' {
            break
        }
        'spark-k8s-cli;help;status' {
            break
        }
        'spark-k8s-cli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
