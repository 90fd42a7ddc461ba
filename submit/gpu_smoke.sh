#!/usr/bin/env bash
# GPU smoke run, for a host with NVIDIA cards: does training run on the cards, one executor per card?
#   submit/gpu_smoke.sh [--epochs 3] [--dir /tmp/ssd-gpu-smoke]
# Counts the cards (nvidia-smi) and builds the CUDA backend (submit/build_cuda.sh), makes a Spark home from the
# build's jars and starts a standalone Master and a Worker that offers every card, generates and converts the quick
# start's sample, trains it for a few epochs with one executor and one worker per card (batch 16 each), evaluates, and
# prints the backend and layer set, the card each executor used, images/s, the first and last rounds' loss and the
# mAP. Exit 1 when the loss did not fall or the evaluation did not run, 2 when there is no card.
# SSD_SMOKE_CPU=1 runs the same on the CPU build with SSD_FAKE_GPUS fake cards (default 2): a check of the script.
source "$(dirname "$0")/common.sh"
EPOCHS=3
DIR=/tmp/ssd-gpu-smoke
PORT="${SSD_SMOKE_PORT:-7177}"
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) EPOCHS="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    *) ssd_die "unknown argument $1 (use --epochs N, --dir DIR)" ;;
  esac
done
ssd_check_java
unset SPARK_HOME
if [ "${SSD_SMOKE_CPU:-0}" = 1 ]; then
  export SSD_FAKE_GPUS="${SSD_FAKE_GPUS:-2}"
  cards="$SSD_FAKE_GPUS"
  echo "gpu_smoke: CPU check of the script with $cards fake cards"
  ssd_build
else
  command -v nvidia-smi >/dev/null 2>&1 || ssd_die "nvidia-smi not found: run this on a host with NVIDIA cards and driver"
  cards=$(nvidia-smi -L | grep -c '^GPU ' || true)
  [ "$cards" -ge 1 ] || ssd_die "nvidia-smi lists no card"
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv
  "$SSD_HOME/submit/build_cuda.sh"
  export SSD_CLASSPATH_FILE="$SSD_HOME/spark-job/target/runtime-classpath-cuda.txt"
fi
export SSD_SKIP_BUILD=1
rm -rf "$DIR" && mkdir -p "$DIR"
"$SSD_HOME/submit/make_spark_home.sh" "$DIR/spark" >/dev/null
"$DIR/spark/sbin/start-master.sh" 127.0.0.1 "$PORT"
trap '"$DIR/spark/sbin/stop-all.sh"' EXIT
sleep 5
"$DIR/spark/sbin/start-worker.sh" "spark://127.0.0.1:$PORT" "$cards" "$(( cards * 3 ))g" "$cards"
sleep 5

conf="$SSD_HOME/conf/quickstart.conf"
"$SSD_HOME/submit/prep.sh" generate --config "$conf" --output "$DIR/voc" > "$DIR/prep.log" 2>&1
"$SSD_HOME/submit/prep.sh" --config "$conf" --data_path "$DIR/voc" --output "$DIR/shards" \
  --labels "$DIR/voc/labels.txt" >> "$DIR/prep.log" 2>&1 || ssd_die "data preparation failed: $DIR/prep.log"

start=$(date +%s)
SPARK_HOME="$DIR/spark" SPARK_MASTER="spark://127.0.0.1:$PORT" SSD_GPUS_PER_EXECUTOR=1 SSD_NUM_EXECUTORS="$cards" \
  SSD_EXECUTOR_MEMORY=2g SSD_DRIVER_MEMORY=2g \
  "$SSD_HOME/submit/train_full_1p.sh" --config "$conf" --data_path "$DIR/shards" --checkpoint_folder "$DIR/ckpt" \
  --num_workers "$cards" --batch_size 16 --num_epochs "$EPOCHS" --validation_epochs "$EPOCHS" --t_max "$EPOCHS" \
  --warmup_epochs 0 > "$DIR/train.log" 2>&1 || { tail -30 "$DIR/train.log"; ssd_die "training failed: $DIR/train.log"; }
end=$(date +%s)

metrics="$DIR/ckpt/metrics.jsonl"
field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"; }
echo
echo "gpu_smoke: $cards card(s), $EPOCHS epochs in $(( end - start )) s"
echo "layer set: $(grep '"type":"run"' "$metrics" | field layers | head -1)"
grep '"type":"device"' "$metrics" | while read -r line; do
  echo "executor $(field executor <<< "$line"): gpu $(field address <<< "$line"), ND4J device $(field device <<< "$line")," \
    "pinned $(field pinned <<< "$line"), $(field backend <<< "$line")"
done
grep '"type":"epoch"' "$metrics" | while read -r line; do
  echo "epoch $(field epoch <<< "$line"): loss $(field loss <<< "$line"), $(field images_per_s <<< "$line") images/s"
done
first=$(grep '"type":"round"' "$metrics" | head -1 | field loss)
last=$(grep '"type":"round"' "$metrics" | tail -1 | field loss)
echo "round loss: first $first, last $last"
map=$(grep -o '"mAP" *: *[0-9.eE+-]*' "$DIR/ckpt/eval/metrics.json" 2>/dev/null | head -1 | sed 's/.*: *//')
echo "final evaluation mAP: ${map:-none}"
awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < a) }' || { echo "gpu_smoke: FAIL: the loss did not fall" >&2; exit 1; }
[ -n "$map" ] || { echo "gpu_smoke: FAIL: no final evaluation ($DIR/ckpt/eval)" >&2; exit 1; }
echo "gpu_smoke: ok"
