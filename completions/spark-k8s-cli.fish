# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_spark_k8s_cli_global_optspecs
    string join \n q/quiet log-level= log-format= master= deploy-mode= class= name= jars= packages= exclude-packages= repositories= py-files= files= archives= c/conf= properties-file= extra-properties-file= load-spark-defaults driver-memory= driver-java-options= driver-library-path= driver-class-path= driver-default-class-path= executor-memory= proxy-user= v/verbose version remote= driver-cores= supervise kill= status= total-executor-cores= executor-cores= num-executors= principal= keytab= queue= usage-error dry-run show-secrets launcher-config= o/output= h/help
end

function __fish_spark_k8s_cli_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_spark_k8s_cli_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_spark_k8s_cli_using_subcommand
    set -l cmd (__fish_spark_k8s_cli_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "list" -d 'List the jobs of every launcher in a namespace (every cluster of a fleet)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "queue" -d 'List the waiting and admitted jobs of every launcher'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "clusters" -d 'Probe the fleet\'s clusters now: health, latency, circuit, quota headroom, running and queued jobs'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "alert" -d 'Send a sample event through the alert sinks'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "logs" -d 'Print a job\'s driver log'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "sessions" -d 'List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when, cluster, idle time'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "attach" -d 'Attach this terminal to a running session again (after a lost connection or a killed launcher)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "man" -d 'Print a man page (roff): the binary\'s, or a command\'s (`man clusters | man -l -`)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "settings" -d 'List the launcher settings (--markdown for docs/config.md)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "demo" -d 'Run a three-cluster demo fleet in this process and a burst of jobs through it'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "sim" -d 'Run the kubesim Kubernetes API emulator'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "flags" -d 'List every spark-submit option (--markdown for docs/flags.md)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "rbac" -d 'Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and for the submit pod (kubectl apply -f -)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "doctor" -d 'Check the setup against every configured cluster (reachability, TLS, credentials, clock, RBAC, the submit service account, quota, LimitRanges, the launcher config and image), with a fix for each problem; exit 1 when something is broken'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "submit" -d 'Submit an application (the default when the first argument is an option)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "shell" -d 'spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "pyspark" -d 'pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "sql" -d 'spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "kill" -d 'Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its phase (spark-submit --kill ID)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "status" -d 'Print the status of a job\'s driver, or of its submit pod before a driver exists (spark-submit --status ID)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -l queue -d 'Only the jobs of this queue' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (the namespace; merged columns apart)'
json\t'An array of objects'
yaml\t'The same array in YAML'"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -l master -d 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -s n -l namespace -d 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context\'s]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -l context -d 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -l kubeconfig -d 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -l queue -d 'Only the jobs of this queue' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (the namespace; merged columns apart)'
json\t'An array of objects'
yaml\t'The same array in YAML'"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -l master -d 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -s n -l namespace -d 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context\'s]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -l context -d 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -l kubeconfig -d 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand queue" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand clusters" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (the namespace; merged columns apart)'
json\t'An array of objects'
yaml\t'The same array in YAML'"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand clusters" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand clusters" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand clusters" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand clusters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and not __fish_seen_subcommand_from test help" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and not __fish_seen_subcommand_from test help" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and not __fish_seen_subcommand_from test help" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and not __fish_seen_subcommand_from test help" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and not __fish_seen_subcommand_from test help" -f -a "test" -d 'Send a sample event through the configured sinks (all of them, or one)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and not __fish_seen_subcommand_from test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from test" -l sink -d 'Only the sink of this name (from alertSinks)' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from test" -l event -d 'The kind of event to send' -r -f -a "submission-failed\t''
container-creation-failed\t''
startup-failed\t''
pending-too-long\t''
queue-timeout\t''
run-timeout\t''
driver-failed\t''
oom-killed\t''
failover\t''
circuit-opened\t''
job-succeeded\t''
cluster-lost\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from test" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from test" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a sample event through the configured sinks (all of them, or one)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand alert; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -l master -d 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -s n -l namespace -d 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context\'s]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -l context -d 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -l kubeconfig -d 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -s f -l follow -d 'Keep printing while the driver runs'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand logs" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -l queue -d 'Only the jobs of this queue' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (the namespace; merged columns apart)'
json\t'An array of objects'
yaml\t'The same array in YAML'"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -l master -d 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -s n -l namespace -d 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context\'s]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -l context -d 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -l kubeconfig -d 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sessions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -l master -d 'The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -s n -l namespace -d 'The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context\'s]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -l context -d 'The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -l kubeconfig -d 'The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand attach" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand completions" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand completions" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand completions" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand completions" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand man" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand man" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand man" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand man" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand settings" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand settings" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand settings" -l markdown -d 'Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand settings" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand settings" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand demo" -l jobs -d 'How many jobs to run through the fleet' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand demo" -l deploy-mode -d 'Where the drivers run: in the cluster, or in the submit pod (client)' -r -f -a "cluster\t''
client\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand demo" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand demo" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand demo" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand demo" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -f -a "serve" -d 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and not __fish_seen_subcommand_from serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l clusters -d 'Number of clusters (contexts kubesim-1 … kubesim-N). Default 1' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l config -d 'A YAML file of simulator settings (clusters, token, tls, historyLimit, quota, nodes, startDelayMs, quotaConflictRate, access, latency); flags given on the command line win' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l kubeconfig-out -d 'Where to write the kubeconfig' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l quota -d 'Create ResourceQuota `compute` in `default` on every cluster, e.g. cpu=8,memory=32Gi,pods=10' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l latency -d 'Latency profile: instant (every step at once) or realistic (scheduling, image pulls, container start and the JVM spark-submit\'s start-up take the times of a real cluster; the config file\'s `latency:` block tunes them). Default: the config file\'s, else instant' -r -f -a "instant\t''
realistic\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -l tls -d 'Serve HTTPS with a CA generated for this run (written into the kubeconfig); the bearer token is then required'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand flags" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand flags" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand flags" -l markdown -d 'Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand flags" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand flags" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand rbac" -s n -l namespace -d 'The namespace the jobs run in' -r
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand rbac" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand rbac" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand rbac" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand rbac" -s h -l help -d 'Print help'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand doctor" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
wide\t'The table with more columns (the namespace; merged columns apart)'
json\t'An array of objects'
yaml\t'The same array in YAML'"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand doctor" -l log-level -d 'What the launcher says on stderr: error, warn, info (default), debug or trace' -r -f -a "error\t''
warn\t''
info\t''
debug\t''
trace\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand doctor" -l log-format -d 'text (default), or json: each stderr line as one JSON object, for log shippers' -r -f -a "text\t''
json\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand doctor" -s q -l quiet -d 'Print nothing on stderr (errors included: the exit code tells); what a command is asked for (a listing) still prints'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l log-level -d 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l log-format -d 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -s h -l help -d 'show the help message and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand submit" -l quiet -d 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l log-level -d 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l log-format -d 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -s h -l help -d 'show the help message and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand shell" -l quiet -d 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l log-level -d 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l log-format -d 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -s h -l help -d 'show the help message and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand pyspark" -l quiet -d 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l log-level -d 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l log-format -d 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -s h -l help -d 'show the help message and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand sql" -l quiet -d 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l log-level -d 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l log-format -d 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -l quiet -d 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l master -d 'k8s://https://host:port (other masters are rejected)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l deploy-mode -d 'client or cluster (default: client)' -r -f -a "client\t''
cluster\t''"
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l class -d 'the application\'s main class (Java / Scala apps)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l name -d 'a name for the application' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l jars -d 'comma-separated jars for the driver and executor classpaths' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l packages -d 'comma-separated maven coordinates groupId:artifactId:version' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l exclude-packages -d 'comma-separated groupId:artifactId to exclude from --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l repositories -d 'comma-separated extra remote repositories for --packages' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l py-files -d 'comma-separated .zip, .egg or .py files for the PYTHONPATH' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l files -d 'comma-separated files placed in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l archives -d 'comma-separated archives extracted in each executor\'s working directory' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -s c -l conf -d 'an arbitrary Spark (or spark.k8scli.*) property' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l properties-file -d 'load properties from FILE instead of spark-defaults.conf' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l extra-properties-file -d 'layer another properties file over --properties-file (repeatable)' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l driver-memory -d 'memory for the driver, e.g. 1000M, 2G (default 1024M)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l driver-java-options -d 'extra Java options for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l driver-library-path -d 'extra library path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l driver-class-path -d 'extra class path entries for the driver' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l driver-default-class-path -d 'default extra class path for the driver (internal)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l executor-memory -d 'memory per executor, e.g. 1000M, 2G (default 1G)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l proxy-user -d 'user to impersonate when submitting' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l remote -d 'Spark Connect server URL (not supported by this launcher)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l driver-cores -d 'cores for the driver (cluster mode, default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l kill -d 'kill the driver [namespace:]pod-name (trailing * globs)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l status -d 'print the status of the driver [namespace:]pod-name' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l total-executor-cores -d 'standalone only; recorded as spark.cores.max' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l executor-cores -d 'cores per executor (default 1)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l num-executors -d 'number of executors (default 2)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l principal -d 'Kerberos principal' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l keytab -d 'Kerberos keytab file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l queue -d 'the launcher queue the job waits in (YARN\'s queue in Spark)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l launcher-config -d 'the launcher\'s YAML config file' -r -F
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l log-level -d 'what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l log-format -d 'text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -s o -l output -d 'json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods\' state (json, yaml or wide)' -r -f
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l load-spark-defaults -d 'load spark-defaults.conf even when --properties-file is given'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -s v -l verbose -d 'print the parsed arguments and effective properties'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l version -d 'print the version and exit'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l supervise -d 'standalone only; ignored on Kubernetes'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l usage-error -d 'print usage and exit 1 (internal)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l dry-run -d 'print what would be created, as YAML, and touch no cluster'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l show-secrets -d 'with --dry-run: print secret properties and the keytab as they are, so the output applies as-is'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -l quiet -d 'print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "list" -d 'List the jobs of every launcher in a namespace (every cluster of a fleet)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "queue" -d 'List the waiting and admitted jobs of every launcher'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "clusters" -d 'Probe the fleet\'s clusters now: health, latency, circuit, quota headroom, running and queued jobs'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "alert" -d 'Send a sample event through the alert sinks'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "logs" -d 'Print a job\'s driver log'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "sessions" -d 'List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when, cluster, idle time'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "attach" -d 'Attach this terminal to a running session again (after a lost connection or a killed launcher)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "completions" -d 'Print shell completions'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "man" -d 'Print a man page (roff): the binary\'s, or a command\'s (`man clusters | man -l -`)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "settings" -d 'List the launcher settings (--markdown for docs/config.md)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "demo" -d 'Run a three-cluster demo fleet in this process and a burst of jobs through it'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "sim" -d 'Run the kubesim Kubernetes API emulator'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "flags" -d 'List every spark-submit option (--markdown for docs/flags.md)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "rbac" -d 'Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and for the submit pod (kubectl apply -f -)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "doctor" -d 'Check the setup against every configured cluster (reachability, TLS, credentials, clock, RBAC, the submit service account, quota, LimitRanges, the launcher config and image), with a fix for each problem; exit 1 when something is broken'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "submit" -d 'Submit an application (the default when the first argument is an option)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "shell" -d 'spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "pyspark" -d 'pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "sql" -d 'spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin); queued, placed and alerted like a job'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "kill" -d 'Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its phase (spark-submit --kill ID)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "status" -d 'Print the status of a job\'s driver, or of its submit pod before a driver exists (spark-submit --status ID)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and not __fish_seen_subcommand_from list queue clusters alert logs sessions attach completions man settings demo sim flags rbac doctor submit shell pyspark sql kill status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and __fish_seen_subcommand_from alert" -f -a "test" -d 'Send a sample event through the configured sinks (all of them, or one)'
complete -c spark-k8s-cli -n "__fish_spark_k8s_cli_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "serve" -d 'Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them'
