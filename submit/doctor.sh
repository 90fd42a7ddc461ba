#!/usr/bin/env bash
# Preflight for a training run: checks what Spark training jobs trip on and says how to fix each.
#   submit/doctor.sh [the training job's flags, e.g. --data_path hdfs://nn/voc0712 --checkpoint_folder hdfs://nn/ckpt]
# The submit scripts run it before spark-submit (SSD_SKIP_DOCTOR=1 skips it). Same environment as the scripts
# (SPARK_HOME, SPARK_MASTER, SSD_GPUS_PER_EXECUTOR, SSD_EXECUTOR_MEMORY, SSD_MEMORY_OVERHEAD, SSD_OFFHEAP,
# SSD_MAX_RSS, SSD_SPARK_CONF). Exit 0: all passed; 2: the list of what failed.
source "$(dirname "$0")/common.sh"

problems=()
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; problems+=("$*"); }

# Sizes such as 4g, 3G, 512m, 2048 (MiB) in MiB.
mib() {
  local v="${1,,}"
  case "$v" in
    *t) echo $(( ${v%t} * 1024 * 1024 )) ;;
    *g) echo $(( ${v%g} * 1024 )) ;;
    *m) echo "${v%m}" ;;
    *) echo "$v" ;;
  esac
}

# Java 17
if command -v java >/dev/null 2>&1; then
  jv=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  if [ "${jv:-0}" -ge 17 ]; then ok "Java $jv"; else fail "Java 17 or newer is needed, found ${jv:-unknown}: set JAVA_HOME to a JDK 17"; fi
else
  fail "java not found: install Java 17 (apt-get install openjdk-17-jdk)"
fi

# Spark 3.5 / Scala 2.12, and its defaults
spark_conf=" ${SSD_SPARK_CONF:-} "
if [ -n "${SPARK_HOME:-}" ]; then
  if [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    sv=$("$SPARK_HOME/bin/spark-submit" --version 2>&1 || true)
    spark_version=$(sed -n 's/.*version \([0-9][0-9.]*\).*/\1/p' <<< "$sv" | head -1)
    scala_version=$(sed -n 's/.*Scala version \([0-9][0-9.]*\).*/\1/p' <<< "$sv" | head -1)
    case "$spark_version" in
      3.5*) ok "Spark $spark_version" ;;
      *) fail "Spark 3.5 is needed, $SPARK_HOME has ${spark_version:-an unknown version}: point SPARK_HOME at a Spark 3.5 (Scala 2.12) install" ;;
    esac
    case "$scala_version" in
      2.12*) ok "Scala $scala_version" ;;
      *) fail "Spark built for Scala 2.12 is needed, $SPARK_HOME is for Scala ${scala_version:-unknown}: use the spark-3.5.x-bin-hadoop3 (Scala 2.12) build" ;;
    esac
  else
    fail "SPARK_HOME=$SPARK_HOME has no bin/spark-submit"
  fi
  [ -f "$SPARK_HOME/conf/spark-defaults.conf" ] && spark_conf+=" $(sed -e 's/#.*//' "$SPARK_HOME/conf/spark-defaults.conf" | tr '\n' ' ') "
else
  ok "no SPARK_HOME: the embedded Spark 3.5 (Scala 2.12) runs the job"
fi

# Dynamic allocation changes the executor set between rounds: averaging needs a fixed one
if grep -Eq 'spark\.dynamicAllocation\.enabled[ =]+true' <<< "$spark_conf"; then
  fail "spark.dynamicAllocation.enabled=true: synchronous averaging needs a fixed set of executors; set it to false (--conf spark.dynamicAllocation.enabled=false) and size the job with SSD_NUM_EXECUTORS"
else
  ok "dynamic allocation off"
fi

# Cards: one per task, and a discovery script that answers
gpus="${SSD_GPUS_PER_EXECUTOR:-0}"
if [ "$gpus" != 0 ]; then
  if [ "$gpus" != 1 ]; then
    fail "SSD_GPUS_PER_EXECUTOR=$gpus: each executor trains one task on one card; use 1 and one executor per card (SSD_NUM_EXECUTORS)"
  else
    ok "one card per executor and per task"
  fi
  answer=$("$SSD_HOME/submit/discover_gpus.sh" 2>&1 || true)
  if grep -Eq '^\{"name":"gpu","addresses":\[("[0-9]+",?)+\]\}$' <<< "$answer"; then
    ok "discover_gpus.sh answers $answer"
  else
    fail "submit/discover_gpus.sh answered '$answer' on this host: it must list the cards as {\"name\":\"gpu\",\"addresses\":[\"0\",...]} (install the NVIDIA driver's nvidia-smi on the executors' hosts)"
  fi
fi

# Memory: ND4J's off-heap memory lives outside the heap, in the container's overhead
heap=$(mib "${SSD_EXECUTOR_MEMORY:-2g}")
overhead=$(mib "${SSD_MEMORY_OVERHEAD:-4g}")
offheap=$(mib "$SSD_OFFHEAP")
rss=$(mib "$SSD_MAX_RSS")
if [ "$overhead" -lt $(( offheap + 512 )) ]; then
  fail "SSD_MEMORY_OVERHEAD=${SSD_MEMORY_OVERHEAD:-4g} is below ND4J's off-heap cap SSD_OFFHEAP=$SSD_OFFHEAP plus 512m: YARN and Kubernetes would kill executors; raise SSD_MEMORY_OVERHEAD or lower SSD_OFFHEAP"
else
  ok "memory overhead ${overhead}m covers ND4J's off-heap cap ${offheap}m"
fi
if [ "$rss" = 0 ]; then
  ok "no resident-memory cap (SSD_MAX_RSS unset): heap ${heap}m plus off-heap cap ${offheap}m bound an executor"
elif [ "$rss" -gt $(( heap + overhead )) ]; then
  fail "SSD_MAX_RSS=$SSD_MAX_RSS exceeds executor memory + overhead ($(( heap + overhead ))m): JavaCPP would let an executor outgrow its container; lower SSD_MAX_RSS or raise SSD_EXECUTOR_MEMORY/SSD_MEMORY_OVERHEAD"
else
  ok "resident-memory cap ${rss}m fits in the container's $(( heap + overhead ))m"
fi

# Storage: the job's own flags, checked with the job's Hadoop client
if [ "${SSD_DOCTOR_STORAGE:-1}" = 1 ]; then
  [ "${SSD_SKIP_BUILD:-0}" = 1 ] || ssd_build
  cp="$SSD_JOB_JAR:$(cat "$SSD_CLASSPATH_FILE")"
  [ -n "${HADOOP_CONF_DIR:-}" ] && cp="$HADOOP_CONF_DIR:$cp"
  # shellcheck disable=SC2086
  if storage=$(java $SSD_JAVA17_OPTS -cp "$cp" org.ssdspark.preflight.PreflightMain "$@" 2>&1); then
    grep '^ok' <<< "$storage" || true
  else
    grep '^ok' <<< "$storage" || true
    while IFS= read -r line; do fail "$line"; done < <(grep '^  - ' <<< "$storage" | sed 's/^  - //')
    grep -q '^  - ' <<< "$storage" || fail "storage check: $(tail -1 <<< "$storage")"
  fi
fi

if [ ${#problems[@]} -gt 0 ]; then
  echo "doctor: ${#problems[@]} problem(s):" >&2
  for p in "${problems[@]}"; do echo "  - $p" >&2; done
  exit 2
fi
echo "doctor: all checks passed"
