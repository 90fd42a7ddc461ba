#!/usr/bin/env bash
# Shared by the submit/ scripts: builds the project if needed, then runs a main class either through
# spark-submit (SPARK_HOME set) or in an embedded Spark (no SPARK_HOME). Sourced, not run.
#
# Environment:
#   SPARK_HOME            use this Spark's spark-submit (cluster mode); unset: embedded Spark, local master
#   SPARK_MASTER          master URL for spark-submit (default: local[*]); e.g. spark://host:7077, yarn, k8s://https://...
#   SSD_DRIVER_MEMORY     driver heap (default 4g)      SSD_EXECUTOR_MEMORY  executor heap (default 2g)
#   SSD_OFFHEAP           ND4J/JavaCPP off-heap cap per JVM (default 3G)
#                         (embedded runs, one JVM for everything: 6G); with the heap it bounds a JVM's memory: one
#                         training executor at batch 32 stays under 6 GiB, so two executors and a driver fit in 24 GiB
#   SSD_MAX_RSS           JavaCPP's cap on the whole JVM's resident memory (default 0 = off). JavaCPP checks it by
#                         reading the process's resident size at every native allocation: that cost 35% of a training
#                         step on the quick start's model (77 against 48 images/s), so it is off unless set
#   SSD_GPUS_PER_EXECUTOR accelerator cards per executor for Spark resource scheduling (default 0 = CPU)
#   SSD_SPARK_CONF        extra "--conf k=v" words for spark-submit
#   SSD_SKIP_BUILD=1      do not run Maven even if the jars look stale
#   SSD_SKIP_DOCTOR=1     submit training without the preflight (submit/doctor.sh)
set -euo pipefail

SSD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SSD_HOME
# The three below can be overridden (tests run the scripts on the test classpath, before any jar exists).
SSD_JOB_JAR="${SSD_JOB_JAR:-$SSD_HOME/spark-job/target/spark-job-0.1.0-SNAPSHOT.jar}"
SSD_PREP_JAR="${SSD_PREP_JAR:-$SSD_HOME/data-prep/target/data-prep-0.1.0-SNAPSHOT.jar}"
SSD_CLASSPATH_FILE="${SSD_CLASSPATH_FILE:-$SSD_HOME/spark-job/target/runtime-classpath.txt}"

# Spark's own Java 17 module flags (the driver JVM needs them; executors get them from Spark).
SSD_JAVA17_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
if [ -n "${SPARK_HOME:-}" ]; then
  SSD_OFFHEAP="${SSD_OFFHEAP:-3G}"
else
  # Embedded: the driver and every local worker share one JVM.
  SSD_OFFHEAP="${SSD_OFFHEAP:-6G}"
fi
# ND4J frees off-heap memory only when the GC runs: cap it, and never let DL4J Spark query an NTP server.
# JavaCPP's resident-memory check is explicitly off (0) unless SSD_MAX_RSS is set: its own default would be twice the heap.
SSD_MAX_RSS="${SSD_MAX_RSS:-0}"
# The JDK's Vector API module: the BatchNorm and depthwise kernels use it when the JVM has it (org.ssdspark.nn.SimdKernels)
# and fall back to slower heap-array loops when not; Java prints one "Using incubator modules" warning for it.
SSD_SIMD_OPTS="--add-modules=jdk.incubator.vector"
SSD_JVM_PROPS="-Dorg.bytedeco.javacpp.maxphysicalbytes=$SSD_MAX_RSS -Dorg.bytedeco.javacpp.maxbytes=$SSD_OFFHEAP -Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource $SSD_SIMD_OPTS"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

ssd_die() { echo "$(basename "$0"): $*" >&2; exit 2; }

ssd_check_java() {
  command -v java >/dev/null 2>&1 || ssd_die "java not found: install Java 17 (e.g. apt-get install openjdk-17-jdk)"
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ "${v:-0}" -ge 17 ] || ssd_die "Java 17 or newer is needed, found version ${v:-unknown} (set JAVA_HOME)"
}

# ssd_build [MODULE JAR CLASSPATH_FILE]: builds MODULE (default spark-job, the jobs) and the modules it needs, and
# writes MODULE's runtime classpath, when the jars or the classpath are missing or older than the sources.
ssd_build() {
  local module="${1:-spark-job}" jar="${2:-$SSD_JOB_JAR}" cp_file="${3:-$SSD_CLASSPATH_FILE}"
  if [ "${SSD_SKIP_BUILD:-0}" = 1 ] && [ -f "$cp_file" ]; then return; fi
  local stale=0 m sources=("$SSD_HOME/conf" "$SSD_HOME/pom.xml")
  for m in common data-prep spark-job "$module"; do
    sources+=("$SSD_HOME/$m/src/main" "$SSD_HOME/$m/pom.xml")
  done
  [ -f "$jar" ] && [ -f "$SSD_PREP_JAR" ] && [ -f "$cp_file" ] || stale=1
  if [ $stale = 0 ] && [ -n "$(find "${sources[@]}" -newer "$jar" -print -quit)" ]; then
    stale=1
  fi
  if [ $stale = 1 ]; then
    command -v mvn >/dev/null 2>&1 || ssd_die "mvn not found: install Apache Maven 3.8+ to build the project"
    echo "Building (mvn package, tests skipped) ..." >&2
    (cd "$SSD_HOME" && mvn -q -B -DskipTests package dependency:build-classpath -pl "$module" -am \
        -Dmdep.outputFile="$cp_file" -DincludeScope=runtime >&2)
  fi
}

# ssd_main MAIN_CLASS ARGS... : the whole life of a submit script.
ssd_main() {
  local main="$1"; shift
  ssd_parse_dry_run "$@"
  if [ "$SSD_DRY_RUN" = 0 ]; then
    ssd_check_java
    ssd_build
    # Training on a cluster: the preflight first (submit/doctor.sh), so a misconfiguration fails in seconds
    if [ "$main" = org.ssdspark.train.TrainMain ] && [ -n "${SPARK_HOME:-}" ] && [ "${SSD_SKIP_DOCTOR:-0}" != 1 ]; then
      SSD_SKIP_BUILD=1 "$SSD_HOME/submit/doctor.sh" "${SSD_ARGS[@]+"${SSD_ARGS[@]}"}" \
        || ssd_die "preflight failed (above); fix it, or set SSD_SKIP_DOCTOR=1 to submit anyway"
    fi
  fi
  ssd_run "$main" "${SSD_ARGS[@]+"${SSD_ARGS[@]}"}"
}

# The flag --dry-run anywhere in the arguments: print the command instead of running it.
SSD_DRY_RUN=0
SSD_ARGS=()
ssd_parse_dry_run() {
  SSD_ARGS=()
  for a in "$@"; do
    if [ "$a" = "--dry-run" ]; then SSD_DRY_RUN=1; else SSD_ARGS+=("$a"); fi
  done
}

ssd_print_cmd() {
  printf '%q ' "$@"
  printf '\n'
}

# ssd_run MAIN_CLASS ARGS... : runs a main class embedded or through spark-submit.
ssd_run() {
  local main="$1"; shift
  local cmd=() classpath
  if [ -f "$SSD_CLASSPATH_FILE" ]; then classpath=$(cat "$SSD_CLASSPATH_FILE"); else classpath="<runtime-classpath>"; fi
  if [ -n "${SPARK_HOME:-}" ]; then
    [ -x "$SPARK_HOME/bin/spark-submit" ] || ssd_die "SPARK_HOME=$SPARK_HOME has no bin/spark-submit"
    local deps master="${SPARK_MASTER:-local[*]}"
    # The cluster provides Spark, Scala and the Hadoop client; everything else travels with the job.
    deps=$(tr ':' '\n' <<< "$classpath" | grep -vE '/(spark-[a-z-]+_2\.12|scala-(library|reflect)|hadoop-client-(api|runtime))-[^/]*\.jar$' \
      | grep -v "$SSD_PREP_JAR" | paste -sd, -)
    cmd=("$SPARK_HOME/bin/spark-submit" --class "$main" --master "$master"
      --driver-memory "${SSD_DRIVER_MEMORY:-4g}" --executor-memory "${SSD_EXECUTOR_MEMORY:-2g}"
      --conf "spark.driver.extraJavaOptions=$SSD_JAVA17_OPTS $SSD_JVM_PROPS"
      --conf "spark.executor.extraJavaOptions=$SSD_JVM_PROPS"
      --conf "spark.executorEnv.OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
      --conf "spark.executor.memoryOverhead=${SSD_MEMORY_OVERHEAD:-4g}")
    [ -n "${SSD_DEPLOY_MODE:-}" ] && cmd+=(--deploy-mode "$SSD_DEPLOY_MODE")
    if [ -n "${SSD_NUM_EXECUTORS:-}" ]; then
      cmd+=(--conf "spark.executor.instances=$SSD_NUM_EXECUTORS")
    fi
    # One task per executor: each executor trains on one card with all its cores.
    cmd+=(--conf "spark.executor.cores=${SSD_EXECUTOR_CORES:-1}" --conf "spark.task.cpus=${SSD_EXECUTOR_CORES:-1}")
    if [ "${SSD_GPUS_PER_EXECUTOR:-0}" != 0 ]; then
      cmd+=(--conf "spark.executor.resource.gpu.amount=${SSD_GPUS_PER_EXECUTOR}"
        --conf "spark.task.resource.gpu.amount=1"
        --conf "spark.executor.resource.gpu.discoveryScript=./discover_gpus.sh"
        --files "$SSD_HOME/submit/discover_gpus.sh")
      case "$master" in
        k8s://*) cmd+=(--conf "spark.executor.resource.gpu.vendor=nvidia.com") ;;
        spark://*) cmd+=(--conf "spark.worker.resource.gpu.discoveryScript=$SSD_HOME/submit/discover_gpus.sh") ;;
      esac
    fi
    if [[ "$master" == k8s://* ]]; then
      cmd+=(--conf "spark.kubernetes.container.image=${SSD_K8S_IMAGE:?set SSD_K8S_IMAGE to an image with Java 17 and Spark 3.5}")
    fi
    # shellcheck disable=SC2206
    cmd+=(${SSD_SPARK_CONF:-} --jars "$SSD_PREP_JAR,$deps" "$SSD_JOB_JAR" "$@")
  else
    local cp="$SSD_JOB_JAR:$classpath"
    # shellcheck disable=SC2206
    cmd=(java -Xmx"${SSD_DRIVER_MEMORY:-4g}" $SSD_JAVA17_OPTS $SSD_JVM_PROPS -cp "$cp" "$main" "$@")
  fi
  if [ "$SSD_DRY_RUN" = 1 ]; then
    # The job itself resolves and prints the configuration (and rejects bad flags) when it is built.
    if [ "${SSD_NO_CONFIG_PRINT:-0}" != 1 ] && [ -f "$SSD_CLASSPATH_FILE" ] && [ -f "$SSD_JOB_JAR" ]; then
      java $SSD_JAVA17_OPTS -cp "$SSD_JOB_JAR:$classpath" "$main" "$@" --dry-run || return $?
    else
      echo "# (build the project to see the resolved configuration)"
    fi
    echo "# command:"
    ssd_print_cmd "${cmd[@]}"
    return 0
  fi
  exec "${cmd[@]}"
}
