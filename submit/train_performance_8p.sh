#!/usr/bin/env bash
# Trains mb2-ssd-lite with conf/performance_8p.conf (see README.md, "Training"); any flag overrides the file,
# e.g. submit/train_performance_8p.sh --data_path hdfs://nn/voc0712 --checkpoint_folder hdfs://nn/ckpt
# Add --dry-run to print the resolved config and the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_main org.ssdspark.train.TrainMain --config "$SSD_HOME/conf/performance_8p.conf" "$@"
