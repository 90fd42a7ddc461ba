#!/usr/bin/env bash
# The quick start: builds, generates a small VOC-format sample, converts it to shards and checks them, trains a
# small mb2-ssd-lite on an embedded Spark (one worker of 16, conf/quickstart.conf) and evaluates it
# (the training job's final stage prints the VOC2007 mAP table). Everything goes to
# ${SSD_QUICKSTART_DIR:-quickstart-out}/ under the repository root; extra flags go to the training job,
# e.g. submit/quickstart.sh --num_epochs 20. SSD_QUICKSTART_CONF replaces conf/quickstart.conf (the tests use a tiny one).
source "$(dirname "$0")/common.sh"
ssd_parse_dry_run "$@"
ssd_check_java
OUT="${SSD_QUICKSTART_DIR:-$SSD_HOME/quickstart-out}"
CONF="${SSD_QUICKSTART_CONF:-$SSD_HOME/conf/quickstart.conf}"
if [ "$SSD_DRY_RUN" = 1 ]; then
  echo "quickstart: would write to $OUT (generate, convert, train and evaluate with $CONF)"
  exit 0
fi
start=$(date +%s)
ssd_build
export SSD_SKIP_BUILD=1
built=$(date +%s)
rm -rf "$OUT"
mkdir -p "$OUT"
"$SSD_HOME/submit/prep.sh" generate --config "$CONF" --output "$OUT/voc"
"$SSD_HOME/submit/prep.sh" --config "$CONF" --data_path "$OUT/voc" --output "$OUT/shards" --labels "$OUT/voc/labels.txt"
"$SSD_HOME/submit/prep.sh" inspect "$OUT/shards" > "$OUT/inspect.json"
prepped=$(date +%s)
"$SSD_HOME/submit/train_full_1p.sh" --config "$CONF" --data_path "$OUT/shards" --checkpoint_folder "$OUT/checkpoints" \
  "${SSD_ARGS[@]+"${SSD_ARGS[@]}"}" 2>&1 | tee "$OUT/train.log"
end=$(date +%s)
cat <<SUMMARY

Quick start done in $(( end - start )) s (build $(( built - start )) s, data $(( prepped - built )) s, training and evaluation $(( end - prepped )) s); outputs under $OUT:
  voc/                  the generated VOC-format sample (Annotations/, JPEGImages/, ImageSets/Main/, labels.txt)
  shards/               its Parquet shards (train/, test/, _manifest.json); inspect.json: their check
  checkpoints/          checkpoint-epoch-N/ (model.zip, checkpoint.json) and metrics.jsonl (loss per round and epoch)
  checkpoints/eval/     the final evaluation: report.txt (the mAP table above), metrics.json, det_test_<class>.txt, PNG charts
  train.log             the training job's output
SUMMARY
