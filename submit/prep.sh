#!/usr/bin/env bash
# Converts VOC data into Parquet shards (see README.md, "Shard conversion").
#   submit/prep.sh --data_path DIR --output URI [--labels FILE] [--shards N] [--overwrite] [--strict]
#   submit/prep.sh inspect URI
#   submit/prep.sh generate --output DIR [--images N] ...   (a synthetic VOC-format sample)
# Add --dry-run to print the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_parse_dry_run "$@"
ssd_check_java
[ "$SSD_DRY_RUN" = 1 ] && [ -f "$SSD_CLASSPATH_FILE" ] || ssd_build
ssd_run org.ssdspark.prep.PrepMain "${SSD_ARGS[@]}"
