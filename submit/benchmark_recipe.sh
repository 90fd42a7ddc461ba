#!/usr/bin/env bash
# The quick start's recipe end to end through the real training job (submit/train_full_1p.sh, embedded Spark), one
# worker and two, next to the original's own training loop on the same data (the oracle's recipe_ref.py, when
# Debian's python3-torch and a checkout of qfgaohao/pytorch-ssd are present). Prints, per run, the training loop's
# images/s (all epochs' images over the loop's wall time, warm-up, validation and checkpoints included), the
# images/s after the first epoch, where a round's time went (fit, network setup, the rest of the task, outside
# the tasks), and the ratio to the original.
#
#   submit/benchmark_recipe.sh                       # layouts 1x16/14 and 2x8/5, 50 epochs, the original once
#   submit/benchmark_recipe.sh --layouts 1x16/14 --epochs 20 --repeat 2 --no-reference
#
# A layout is WORKERSxBATCH/AVERAGING_FREQUENCY (1x16/14: the quick start, one worker of 16, one round an epoch;
# 2x8/5: two local workers of 8, averaged every 5 steps). Environment: SSD_BENCH_DIR (default
# /tmp/ssd-recipe-benchmark, the sample and every run's output), PYTORCH_SSD_DIR (the original's checkout),
# SSD_ORACLE_DIR (the folder of recipe_ref.py, default ../shared/oracle beside the repository).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
layouts="1x16/14,2x8/5" epochs=50 repeat=1 reference=1
while [ $# -gt 0 ]; do
  case "$1" in
    --layouts) layouts="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --no-reference) reference=0; shift ;;
    *) ssd_die "unknown option $1 (expected --layouts L, --epochs N, --repeat N, --no-reference)" ;;
  esac
done
ssd_check_java
ssd_build
export SSD_SKIP_BUILD=1
WORK="${SSD_BENCH_DIR:-/tmp/ssd-recipe-benchmark}"
CONF="$SSD_HOME/conf/quickstart.conf"
ORACLE="${SSD_ORACLE_DIR:-$SSD_HOME/../shared/oracle}"
mkdir -p "$WORK"

if [ ! -f "$WORK/shards/_manifest.json" ]; then
  rm -rf "$WORK/voc" "$WORK/shards"
  "$SSD_HOME/submit/prep.sh" generate --config "$CONF" --output "$WORK/voc" > "$WORK/prep.log" 2>&1 \
    || ssd_die "generating the sample failed: $WORK/prep.log"
  "$SSD_HOME/submit/prep.sh" --config "$CONF" --data_path "$WORK/voc" --output "$WORK/shards" \
    --labels "$WORK/voc/labels.txt" >> "$WORK/prep.log" 2>&1 || ssd_die "converting the sample failed: $WORK/prep.log"
fi

# iso8601 -> seconds since the epoch, with fractions
seconds_of() { date -d "$1" +%s.%N; }
# arithmetic on decimals (awk: no bc needed)
calc() { awk "BEGIN { print $1 }"; }
# the value of "key" in one JSON line
json_value() { sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p" <<< "$2" | tr -d '"' | head -1; }

results=()
for layout in ${layouts//,/ }; do
  [[ "$layout" =~ ^([0-9]+)x([0-9]+)/([0-9]+)$ ]] || ssd_die "layout '$layout' is not WORKERSxBATCH/FREQUENCY, e.g. 1x16/14"
  workers=${BASH_REMATCH[1]} batch=${BASH_REMATCH[2]} freq=${BASH_REMATCH[3]}
  for r in $(seq 1 "$repeat"); do
    out="$WORK/ours-${workers}x${batch}-f${freq}-run$r"
    rm -rf "$out"
    echo "ours: $workers worker(s) x batch $batch, averaging every $freq, $epochs epochs (load $(cut -d' ' -f1-3 /proc/loadavg)) ..."
    start=$(date +%s.%N)
    "$SSD_HOME/submit/train_full_1p.sh" --config "$CONF" --data_path "$WORK/shards" --checkpoint_folder "$out" \
      --num_workers "$workers" --batch_size "$batch" --averaging_frequency "$freq" --num_epochs "$epochs" \
      > "$out.log" 2>&1 || ssd_die "training failed: $out.log"
    end=$(date +%s.%N)
    metrics="$out/metrics.jsonl"
    run_line=$(grep '"type":"run"' "$metrics" | head -1)
    last_epoch=$(grep '"type":"epoch"' "$metrics" | tail -1)
    images=$(grep '"type":"epoch"' "$metrics" | sed -n 's/.*"images":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
    loop=$(calc "$(seconds_of "$(json_value time "$last_epoch")") - $(seconds_of "$(json_value time "$run_line")")")
    # after the first epoch: images and round seconds of epochs 1.. (warm-up excluded)
    steady=$(grep '"type":"epoch"' "$metrics" | tail -n +2 | awk -F'"images":|,"seconds":|,"images_per_s"' \
      '{ i += $2; split($3, s, ","); t += s[1] } END { if (t > 0) printf "%.1f", i / t; else print "n/a" }')
    # a round's time, medians over rounds after the first epoch: fit, network setup, rest of the task, outside
    breakdown=$(grep '"type":"round"' "$metrics" | grep -v '"epoch":0,' | awk '
      function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n == 0 ? 0 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
      { match($0, /"seconds":[0-9.eE-]+/); round = substr($0, RSTART + 10, RLENGTH - 10)
        match($0, /"averaging_s":[0-9.eE-]+/); outside = substr($0, RSTART + 14, RLENGTH - 14)
        fit = 0; net = 0; s = $0
        while (match(s, /"network_s":[0-9.eE-]+/)) { v = substr(s, RSTART + 12, RLENGTH - 12); if (v > net) net = v; s = substr(s, RSTART + RLENGTH) }
        s = $0
        while (match(s, /"fit_s":[0-9.eE-]+/)) { v = substr(s, RSTART + 8, RLENGTH - 8); if (v > fit) fit = v; s = substr(s, RSTART + RLENGTH) }
        n++; R[n] = round; O[n] = outside; F[n] = fit; N[n] = net; T[n] = round - outside - fit - net }
      END { r = med(R, n); printf "round %.3f s: fit %.0f%%, network setup %.0f%%, rest of the task %.0f%%, outside the tasks %.0f%% (%d rounds)",
              r, 100 * med(F, n) / r, 100 * med(N, n) / r, 100 * med(T, n) / r, 100 * med(O, n) / r, n }')
    map=$(grep -m1 '^Final evaluation: mAP' "$out.log" | sed 's/^Final evaluation: mAP \([0-9.]*\).*/\1/')
    rate=$(calc "$images / $loop")
    printf '  %d images in %.1f s: %.1f images/s (after the first epoch %s); job %.0f s in all; mAP %s\n  %s\n' \
      "$images" "$loop" "$rate" "$steady" "$(calc "$end - $start")" "${map:-n/a}" "$breakdown"
    results+=("$(printf '%-28s %8.1f   %8s' "ours ${workers}x${batch}/$freq run $r" "$rate" "$steady")")
  done
done

ref_rate=""
if [ "$reference" = 1 ]; then
  if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
    echo "the original: skipped (no /usr/bin/python3 with torch; apt-get install python3-torch python3-opencv)"
  elif [ -z "${PYTORCH_SSD_DIR:-}" ] || [ ! -f "$ORACLE/recipe_ref.py" ]; then
    echo "the original: skipped (set PYTORCH_SSD_DIR to a checkout of qfgaohao/pytorch-ssd, and SSD_ORACLE_DIR to the folder of recipe_ref.py; looked in $ORACLE)"
  else
    # the original's loader wants labels.txt comma separated
    rm -rf "$WORK/voc-ref" && cp -r "$WORK/voc" "$WORK/voc-ref"
    paste -sd, "$WORK/voc/labels.txt" > "$WORK/voc-ref/labels.txt"
    lr_from=$(ls -d "$WORK"/ours-1x*-run1/metrics.jsonl 2>/dev/null | head -1)
    [ -n "$lr_from" ] || lr_from=$(ls -d "$WORK"/ours-*-run1/metrics.jsonl | head -1)
    echo "the original: recipe_ref.py, width 0.25, 96 px, batch 16, $epochs epochs, lr from $lr_from (load $(cut -d' ' -f1-3 /proc/loadavg)) ..."
    rm -rf "$WORK/original"
    PYTORCH_SSD_DIR="$PYTORCH_SSD_DIR" /usr/bin/python3 "$ORACLE/recipe_ref.py" --voc-root "$WORK/voc-ref" \
      --work-dir "$WORK/original" --width 0.25 --size 96 --batch 16 --epochs "$epochs" --lr-from-metrics "$lr_from" \
      --seed 0 > "$WORK/original.log" 2>&1 || ssd_die "the original failed: $WORK/original.log"
    summary=$(tail -1 "$WORK/original.log")
    train_s=$(json_value train_seconds "$summary")
    train_images=$(json_value train_images "$summary")
    per_epoch=$(( train_images / 16 * 16 ))
    ref_rate=$(calc "$per_epoch * $epochs / $train_s")
    ref_map=$(json_value mAP_11pt "$summary" | tr -d ' ')
    printf '  %d images in %.1f s: %.1f images/s; mAP %.4f\n' "$(( per_epoch * epochs ))" "$train_s" "$ref_rate" \
      "${ref_map:-0}"
  fi
fi

echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s   %8s   %s\n' "run" "images/s" "after e0" "ratio to the original"
for line in "${results[@]}"; do
  rate=$(awk '{ print $(NF-1) }' <<< "$line")
  if [ -n "$ref_rate" ]; then
    printf '%s   %.2fx\n' "$line" "$(calc "$rate / $ref_rate")"
  else
    printf '%s   n/a\n' "$line"
  fi
done
[ -n "$ref_rate" ] && printf '%-28s %8.1f\n' "the original (recipe_ref.py)" "$ref_rate"
exit 0
