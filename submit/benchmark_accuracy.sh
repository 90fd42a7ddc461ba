#!/usr/bin/env bash
# Training quality against the original: the quick start's recipe (conf/quickstart.conf) on its sample, trained by
# this project with several seeds in each layout (one worker x batch 16, and the quick start's two workers x batch 8
# averaging every 5 minibatches: the same global batch), and, when Debian's python3-torch and a checkout of
# qfgaohao/pytorch-ssd (PYTORCH_SSD_DIR) are present, by the original's own modules on the same data with the same
# lr sequence (../shared/oracle/recipe_ref.py, or SSD_ORACLE_DIR). Prints every run's VOC2007 11-point mAP and the
# per-layout means, and writes them to OUT/accuracy.json.
#   submit/benchmark_accuracy.sh [--seeds 1,2,3] [--reference-seeds 0,1,2] [--layouts w1b16,w2b8] [--out DIR]
# About 6 minutes per run of ours and 3 to 5 per run of the original on two free cores.
source "$(dirname "$0")/common.sh"
ssd_check_java
seeds="1,2,3" ref_seeds="0,1,2" layouts="w1b16,w2b8" out="$SSD_HOME/accuracy-out"
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --reference-seeds) ref_seeds="$2"; shift 2 ;;
    --layouts) layouts="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) ssd_die "unknown argument $1 (expected --seeds, --reference-seeds, --layouts, --out)" ;;
  esac
done
layout_flags() {
  case "$1" in
    w1b16) echo "--num_workers 1 --batch_size 16" ;;
    w2b8) echo "--num_workers 2 --batch_size 8 --averaging_frequency 5" ;;
    w2b8f1) echo "--num_workers 2 --batch_size 8 --averaging_frequency 1" ;;
    *) ssd_die "unknown layout $1 (w1b16, w2b8, w2b8f1)" ;;
  esac
}
ssd_build
export SSD_SKIP_BUILD=1
conf="$SSD_HOME/conf/quickstart.conf"
mkdir -p "$out"
results="$out/runs.tsv"
: > "$results"
if [ ! -f "$out/shards/_manifest.json" ]; then
  rm -rf "$out/voc" "$out/shards"
  "$SSD_HOME/submit/prep.sh" generate --config "$conf" --output "$out/voc"
  "$SSD_HOME/submit/prep.sh" --config "$conf" --data_path "$out/voc" --output "$out/shards" --labels "$out/voc/labels.txt"
fi
map_of() { # the 11-point mAP of an evaluation's metrics.json
  sed -n 's/.*"mAP" *: *\([0-9.eE+-]*\).*/\1/p' "$1" | head -1
}
for layout in ${layouts//,/ }; do
  for seed in ${seeds//,/ }; do
    run="$out/runs/$layout-s$seed"
    rm -rf "$run"; mkdir -p "$run"
    start=$(date +%s)
    # shellcheck disable=SC2046
    "$SSD_HOME/submit/train_full_1p.sh" --config "$conf" --data_path "$out/shards" --checkpoint_folder "$run/ckpt" \
      $(layout_flags "$layout") --seed "$seed" > "$run/train.log" 2>&1 || ssd_die "training $layout seed $seed failed: $run/train.log"
    m=$(map_of "$run/ckpt/eval/metrics.json")
    printf 'ours\t%s\t%s\t%s\t%s\n' "$layout" "$seed" "$m" "$(( $(date +%s) - start ))" | tee -a "$results"
  done
done
oracle="${SSD_ORACLE_DIR:-$SSD_HOME/../shared/oracle}"
if [ -n "${PYTORCH_SSD_DIR:-}" ] && [ -f "$oracle/recipe_ref.py" ] && /usr/bin/python3 -c 'import torch, cv2' 2>/dev/null; then
  # the original's VOCDataset wants a comma-separated labels.txt
  rm -rf "$out/voc-commas"; cp -r "$out/voc" "$out/voc-commas"; paste -sd, "$out/voc/labels.txt" > "$out/voc-commas/labels.txt"
  lr_from=$(ls "$out"/runs/*/ckpt/metrics.jsonl | head -1)
  for seed in ${ref_seeds//,/ }; do
    work="$out/runs/original-s$seed"
    start=$(date +%s)
    /usr/bin/python3 "$oracle/recipe_ref.py" --voc-root "$out/voc-commas" --work-dir "$work" --width 0.25 --size 96 \
      --batch 16 --epochs 50 --lr-from-metrics "$lr_from" --seed "$seed" > "$work.log" 2>&1 \
      || ssd_die "the original's run seed $seed failed: $work.log"
    m=$(sed -n 's/.*"mAP_11pt": *\([0-9.eE+-]*\).*/\1/p' "$work.log" | tail -1)
    printf 'original\tb16\t%s\t%s\t%s\n' "$seed" "$m" "$(( $(date +%s) - start ))" | tee -a "$results"
  done
else
  echo "(the original is not run: needs /usr/bin/python3 with torch and cv2, PYTORCH_SSD_DIR, and $oracle/recipe_ref.py)"
fi
echo
echo "VOC2007 11-point mAP on the sample's test images (mean over seeds):"
awk -F'\t' '{k=$1" "$2; s[k]+=$4; n[k]++; v[k]=v[k] sprintf(" %.3f", $4)}
  END {for (k in s) printf "  %-16s mean %.3f over %d runs:%s\n", k, s[k]/n[k], n[k], v[k]}' "$results" | sort
awk -F'\t' 'BEGIN {printf "{\"runs\": ["} {printf "%s{\"who\": \"%s\", \"layout\": \"%s\", \"seed\": %s, \"mAP\": %s, \"seconds\": %s}", (NR>1?", ":""), $1, $2, $3, $4, $5}
  END {print "]}"}' "$results" > "$out/accuracy.json"
echo "runs: $results, $out/accuracy.json"
