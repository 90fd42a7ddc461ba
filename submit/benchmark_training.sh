#!/usr/bin/env bash
# Training job images/s with one and then two executor JVMs (Spark local-cluster, fake cards, CPU backend),
# and the share of the time spent outside worker compute (broadcast, result transfer, averaging).
#   submit/benchmark_training.sh [images] [imageSize] [widthMult] [batch] [averagingFrequency] [rounds]
# Defaults: 64 96 0.25 8 2 2. Uses the test classpath (local-cluster needs Spark's test mode).
source "$(dirname "$0")/common.sh"
ssd_check_java
cp_file="$SSD_HOME/spark-job/target/test-classpath.txt"
(cd "$SSD_HOME" && mvn -q -B -DskipTests package dependency:build-classpath -pl spark-job -am \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2)
test_cp="$SSD_HOME/spark-job/target/test-classes:$SSD_HOME/spark-job/target/classes:$SSD_HOME/data-prep/target/test-classes"
test_cp="$test_cp:$SSD_HOME/common/target/test-classes:$(cat "$cp_file")"
exec java -Xmx3g $SSD_JAVA17_OPTS $SSD_JVM_PROPS -cp "$test_cp" -Dsurefire.test.class.path="$test_cp" \
  org.ssdspark.train.ThroughputBenchmark "$@"
