#!/usr/bin/env bash
# Makes a minimal SPARK_HOME from this build's own Spark 3.5 jars, for machines without a Spark
# distribution: jars/ (links to the runtime classpath), bin/spark-submit, bin/spark-class and
# sbin/start-master.sh / sbin/start-worker.sh for a standalone cluster on one machine.
#   submit/make_spark_home.sh DIR
#   DIR/sbin/start-master.sh 127.0.0.1 7077 ; DIR/sbin/start-worker.sh spark://127.0.0.1:7077 2 8g
#   SPARK_HOME=DIR SPARK_MASTER=spark://127.0.0.1:7077 submit/prep.sh ...
source "$(dirname "$0")/common.sh"
[ $# = 1 ] || ssd_die "usage: make_spark_home.sh DIR"
HOME_DIR="$(mkdir -p "$1" && cd "$1" && pwd)"
ssd_check_java
ssd_build
mkdir -p "$HOME_DIR/jars" "$HOME_DIR/bin" "$HOME_DIR/sbin" "$HOME_DIR/logs"
tr ':' '\n' < "$SSD_CLASSPATH_FILE" | while read -r jar || [ -n "$jar" ]; do  # the file has no final newline
  [ -f "$jar" ] && ln -sf "$jar" "$HOME_DIR/jars/$(basename "$jar")"
done
cat > "$HOME_DIR/bin/spark-class" <<SH
#!/usr/bin/env bash
# Runs a Spark class on this home's jars with Spark's Java 17 options.
export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.12
exec java \${SPARK_DAEMON_JAVA_OPTS:-} $SSD_JAVA17_OPTS -cp "$HOME_DIR/jars/*" "\$@"
SH
cat > "$HOME_DIR/bin/spark-submit" <<SH
#!/usr/bin/env bash
exec "$HOME_DIR/bin/spark-class" org.apache.spark.deploy.SparkSubmit "\$@"
SH
cat > "$HOME_DIR/sbin/start-master.sh" <<SH
#!/usr/bin/env bash
# start-master.sh [HOST] [PORT]: a standalone Master in the background, log in logs/master.log
nohup "$HOME_DIR/bin/spark-class" org.apache.spark.deploy.master.Master --host "\${1:-127.0.0.1}" --port "\${2:-7077}" \
  --webui-port 8080 > "$HOME_DIR/logs/master.log" 2>&1 &
echo \$! > "$HOME_DIR/logs/master.pid"
SH
cat > "$HOME_DIR/sbin/start-worker.sh" <<SH
#!/usr/bin/env bash
# start-worker.sh MASTER_URL [CORES] [MEMORY] [GPUS]: a Worker in the background; with GPUS, it offers that
# many accelerator addresses from submit/discover_gpus.sh (SSD_FAKE_GPUS=N fakes them on machines without cards).
export SPARK_WORKER_OPTS="\${SPARK_WORKER_OPTS:-}"
if [ -n "\${4:-}" ]; then
  export SPARK_DAEMON_JAVA_OPTS="-Dspark.worker.resource.gpu.amount=\$4 -Dspark.worker.resource.gpu.discoveryScript=$SSD_HOME/submit/discover_gpus.sh"
fi
nohup "$HOME_DIR/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "\${2:-2}" \
  --memory "\${3:-8g}" --work-dir "$HOME_DIR/work" "\$1" > "$HOME_DIR/logs/worker.log" 2>&1 &
echo \$! > "$HOME_DIR/logs/worker.pid"
SH
cat > "$HOME_DIR/sbin/stop-all.sh" <<SH
#!/usr/bin/env bash
for p in worker master; do [ -f "$HOME_DIR/logs/\$p.pid" ] && kill "\$(cat "$HOME_DIR/logs/\$p.pid")" 2>/dev/null; rm -f "$HOME_DIR/logs/\$p.pid"; done
true
SH
chmod +x "$HOME_DIR"/bin/* "$HOME_DIR"/sbin/*
echo "SPARK_HOME ready: $HOME_DIR ($(ls "$HOME_DIR/jars" | wc -l) jars)"
