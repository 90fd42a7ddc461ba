#!/usr/bin/env bash
# Batch detection on images without annotations (a folder of JPEG/PNG files, or converted shards; any Hadoop URI):
#   submit/detect.sh --data_path IMAGES --model CKPT --output DIR [--score_threshold 0.5] [--draw N] [--labels FILE]
# Writes DIR/detections.parquet (id, class, score, xmin, ymin, xmax, ymax in pixels), DIR/failures.txt and, with
# --draw N, DIR/draw/<id>.png. Prints images/s. Add --dry-run to print the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_main org.ssdspark.detectjob.DetectMain "$@"
