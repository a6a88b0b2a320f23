
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
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit an application (the default when the first argument is an option)')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'Start spark-shell in a pod attached to this terminal')
            [CompletionResult]::new('pyspark', 'pyspark', [CompletionResultType]::ParameterValue, 'Start pyspark in a pod attached to this terminal')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'Start spark-sql in a pod attached to this terminal')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Kill a driver: kill [namespace:]pod-name --master k8s://...')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a driver''s status: status [namespace:]pod-name --master k8s://...')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the jobs of every launcher in a namespace: list [--queue Q] [-o json] [--namespace NS] [--master URL]')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'List waiting and admitted jobs of every launcher: queue [--queue Q] [-o json] [--namespace NS] [--master URL]')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List the fleet''s clusters, probed now: health, latency, circuit, quota headroom, running and queued jobs: clusters [-o json]')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Send a sample event through the alert sinks: alert test [--sink NAME] [--event KIND]')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a job''s driver log: logs JOB-ID [-f] [--namespace NS] [--master URL]')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions: bash, zsh, fish, elvish or powershell')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'List the launcher settings (--markdown for docs/config.md)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run a three-cluster demo fleet in this process and a burst of jobs through it: demo [--jobs N] [--deploy-mode cluster|client]')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run the kubesim Kubernetes API emulator: sim serve --clusters N --kubeconfig-out FILE')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'List every spark-submit option (--markdown for docs/flags.md)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
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
            break
        }
        'spark-k8s-cli;list' {
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
            break
        }
        'spark-k8s-cli;queue' {
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
            break
        }
        'spark-k8s-cli;clusters' {
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
            break
        }
        'spark-k8s-cli;alert' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event through the sinks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;alert;test' {
            [CompletionResult]::new('--sink', '--sink', [CompletionResultType]::ParameterName, 'sink')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'event')
            break
        }
        'spark-k8s-cli;alert;help' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event through the sinks')
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
            break
        }
        'spark-k8s-cli;completions' {
            break
        }
        'spark-k8s-cli;settings' {
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'markdown')
            break
        }
        'spark-k8s-cli;demo' {
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
            break
        }
        'spark-k8s-cli;sim' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve emulated clusters and write a kubeconfig')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'spark-k8s-cli;sim;serve' {
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'clusters')
            [CompletionResult]::new('--kubeconfig-out', '--kubeconfig-out', [CompletionResultType]::ParameterName, 'kubeconfig-out')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'quota')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'config')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'tls')
            break
        }
        'spark-k8s-cli;sim;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve emulated clusters and write a kubeconfig')
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
            break
        }
        'spark-k8s-cli;help' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit an application (the default when the first argument is an option)')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'Start spark-shell in a pod attached to this terminal')
            [CompletionResult]::new('pyspark', 'pyspark', [CompletionResultType]::ParameterValue, 'Start pyspark in a pod attached to this terminal')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'Start spark-sql in a pod attached to this terminal')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Kill a driver: kill [namespace:]pod-name --master k8s://...')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a driver''s status: status [namespace:]pod-name --master k8s://...')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the jobs of every launcher in a namespace: list [--queue Q] [-o json] [--namespace NS] [--master URL]')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'List waiting and admitted jobs of every launcher: queue [--queue Q] [-o json] [--namespace NS] [--master URL]')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List the fleet''s clusters, probed now: health, latency, circuit, quota headroom, running and queued jobs: clusters [-o json]')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Send a sample event through the alert sinks: alert test [--sink NAME] [--event KIND]')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a job''s driver log: logs JOB-ID [-f] [--namespace NS] [--master URL]')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions: bash, zsh, fish, elvish or powershell')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'List the launcher settings (--markdown for docs/config.md)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run a three-cluster demo fleet in this process and a burst of jobs through it: demo [--jobs N] [--deploy-mode cluster|client]')
            [CompletionResult]::new('sim', 'sim', [CompletionResultType]::ParameterValue, 'Run the kubesim Kubernetes API emulator: sim serve --clusters N --kubeconfig-out FILE')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'List every spark-submit option (--markdown for docs/flags.md)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
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
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a sample event through the sinks')
            break
        }
        'spark-k8s-cli;help;alert;test' {
            break
        }
        'spark-k8s-cli;help;logs' {
            break
        }
        'spark-k8s-cli;help;completions' {
            break
        }
        'spark-k8s-cli;help;settings' {
            break
        }
        'spark-k8s-cli;help;demo' {
            break
        }
        'spark-k8s-cli;help;sim' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve emulated clusters and write a kubeconfig')
            break
        }
        'spark-k8s-cli;help;sim;serve' {
            break
        }
        'spark-k8s-cli;help;flags' {
            break
        }
        'spark-k8s-cli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
