#!/usr/bin/env bash
# Training and inference throughput of the full mb2-ssd-lite on this machine, next to the PyTorch reference's
# (submit/reference_benchmark.py, run by Debian's /usr/bin/python3 with python3-torch) in the same run, measured in
# turns so both see the same load. Prints a table with images/s and the ratio, the load average, a per-layer
# profile (--profile N) and the peak resident set (--rss-batch B).
#
#   submit/benchmark_model.sh                          # batches 8,16, 6 timed iterations, 2 warm-up, infer batch 8
#   submit/benchmark_model.sh --batches 8 --iterations 3 --warmup 1 --variants stock,fused --profile 1 --rss-batch 32
#
# Environment: OMP_NUM_THREADS (default 2, both sides), OMP_WAIT_POLICY (ours, default PASSIVE; the reference runs
# with OpenMP's default unless SSD_REFERENCE_OMP_WAIT_POLICY is set), SSD_OFFHEAP (default 8G),
# SSD_BENCH_HEAP (default 6g). Without python3-torch the reference columns say n/a.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# The benchmarks are the bench module's (org.ssdspark.bench), outside the jobs' jar.
bench_jar="$SSD_HOME/bench/target/bench-0.1.0-SNAPSHOT.jar"
bench_cp_file="$SSD_HOME/bench/target/runtime-classpath.txt"
ssd_check_java
ssd_build bench "$bench_jar" "$bench_cp_file"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
args=("$@")
[ $# -gt 0 ] || args=(--batches 8,16 --iterations 6 --warmup 2 --rounds 2 --modes train,forward,infer)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), OMP_NUM_THREADS=$OMP_NUM_THREADS OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
cd "$SSD_HOME"
exec java -Xmx"${SSD_BENCH_HEAP:-6g}" $SSD_JVM_PROPS -cp "$bench_jar:$(cat "$bench_cp_file")" \
  org.ssdspark.bench.ModelBenchmark "${args[@]}"
