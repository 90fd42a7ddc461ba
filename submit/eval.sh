#!/usr/bin/env bash
# Batch evaluation of any checkpoint (ours, or a PyTorch .pth of the full model) on shards or a VOC folder:
#   submit/eval.sh --data_path SHARDS_OR_VOC_DIR --model CKPT --eval_dir DIR [--labels FILE] [--protocol devkit]
# Prints images/s and the mAP table. Add --dry-run to print the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_main org.ssdspark.evaljob.EvalMain "$@"
