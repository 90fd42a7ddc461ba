#!/usr/bin/env bash
# Training job images/s with one and then two executor JVMs (Spark local-cluster, fake cards, CPU backend),
# where a round's time goes (the slowest worker's fit against everything else: broadcast, network setup, data,
# result transfer, averaging) and, on paper, the overhead and scaling efficiency with 8 executors.
#   submit/benchmark_training.sh [images] [imageSize] [widthMult] [batch] [averagingFrequency] [rounds] [executorMemoryMb] [offHeap]
# Defaults: 64 96 0.25 8 2 2 1536 (off-heap: JavaCPP's default, the heap). The 8-card recipe's rounds on the full
# model (batch 32 per card, averaging after every step): submit/benchmark_training.sh 192 300 1.0 32 1 3 3072 6G
# Uses the test classpath (local-cluster needs Spark's test mode).
source "$(dirname "$0")/common.sh"
ssd_check_java
cp_file="$SSD_HOME/spark-job/target/test-classpath.txt"
(cd "$SSD_HOME" && mvn -q -B -DskipTests package dependency:build-classpath -pl spark-job -am \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2)
test_cp="$SSD_HOME/spark-job/target/test-classes:$SSD_HOME/spark-job/target/classes:$SSD_HOME/data-prep/target/test-classes"
test_cp="$test_cp:$SSD_HOME/common/target/test-classes:$(cat "$cp_file")"
exec java -Xmx3g $SSD_JAVA17_OPTS $SSD_JVM_PROPS -cp "$test_cp" -Dsurefire.test.class.path="$test_cp" \
  org.ssdspark.train.ThroughputBenchmark "$@"
