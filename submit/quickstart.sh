#!/usr/bin/env bash
# The quick start: builds, generates a small VOC-format sample, converts it to shards and checks them.
# Outputs go to ${SSD_QUICKSTART_DIR:-quickstart-out}/ under the repository root.
source "$(dirname "$0")/common.sh"
ssd_parse_dry_run "$@"
ssd_check_java
OUT="${SSD_QUICKSTART_DIR:-$SSD_HOME/quickstart-out}"
if [ "$SSD_DRY_RUN" = 1 ]; then
  echo "quickstart: would write to $OUT"
  exit 0
fi
ssd_build
export SSD_SKIP_BUILD=1
rm -rf "$OUT"
mkdir -p "$OUT"
start=$(date +%s)
"$SSD_HOME/submit/prep.sh" generate --output "$OUT/voc" --images 120 --width 300 --height 300 \
  --min_objects 1 --max_objects 2 --min_scale 0.3 --max_scale 0.7 --classes 4 --seed 7
"$SSD_HOME/submit/prep.sh" --data_path "$OUT/voc" --output "$OUT/shards" --labels "$OUT/voc/labels.txt" --shards 2
"$SSD_HOME/submit/prep.sh" inspect "$OUT/shards" > "$OUT/inspect.json"
echo "Shards verified ($OUT/inspect.json). Quick start took $(( $(date +%s) - start )) s; outputs in $OUT"
