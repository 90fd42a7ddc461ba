#!/usr/bin/env bash
# Builds the jobs for executors with NVIDIA cards: ND4J's CUDA 11.6 backend with cuDNN 8.3 (mvn -Pcuda), and writes
# the runtime classpath to spark-job/target/runtime-classpath-cuda.txt. Submit with it:
#   submit/build_cuda.sh
#   SSD_CLASSPATH_FILE=spark-job/target/runtime-classpath-cuda.txt SSD_GPUS_PER_EXECUTOR=1 submit/train_full_8p.sh ...
# CUDA and cuDNN travel as JavaCPP redist jars, so executors need only the NVIDIA driver (CUDA 11.6: 510.39 or
# newer; 450.80.02 or newer through CUDA's minor-version compatibility). The first build downloads about 3 GB.
# Not part of CI (mvn -B verify builds the CPU backend).
source "$(dirname "$0")/common.sh"
ssd_check_java
command -v mvn >/dev/null 2>&1 || ssd_die "mvn not found: install Apache Maven 3.8+"
cp_file="$SSD_HOME/spark-job/target/runtime-classpath-cuda.txt"
(cd "$SSD_HOME" && mvn -B -q -Pcuda -DskipTests package dependency:build-classpath -pl spark-job -am \
    -Dmdep.outputFile="$cp_file" -DincludeScope=runtime) || ssd_die "the CUDA build failed (above)"
echo "CUDA build: $SSD_JOB_JAR"
echo "runtime classpath: $cp_file"
tr ':' '\n' < "$cp_file" | grep -E '/(nd4j-cuda|cuda)-[^/]*\.jar$' | while read -r jar; do
  printf '  %6d MB  %s\n' $(( $(stat -c %s "$jar") / 1048576 )) "$(basename "$jar")"
done
echo "submit with: SSD_CLASSPATH_FILE=$cp_file SSD_GPUS_PER_EXECUTOR=1 submit/train_full_8p.sh ..."
