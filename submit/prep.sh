#!/usr/bin/env bash
# Converts VOC data into Parquet shards (see README.md, "Shard conversion").
#   submit/prep.sh --data_path DIR --output URI [--labels FILE] [--shards N] [--overwrite] [--strict]
#   submit/prep.sh inspect URI
#   submit/prep.sh generate --output DIR [--images N] ...   (a synthetic VOC-format sample)
#   submit/prep.sh benchmark --data_path DIR --output URI    (conversion vs. a plain copy, images/s and MB/s)
# Add --dry-run to print the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_main org.ssdspark.prep.PrepMain "$@"
