#!/usr/bin/env bash
# Exports a checkpoint (ours, or a PyTorch .pth of the full model) for the original's PyTorch tooling:
#   submit/export.sh --model CKPT --format pth --output FILE.pth [--labels FILE]
# Writes the original's state_dict (load_state_dict(strict=True) of create_mobilenetv2_ssd_lite takes it) and
# labels.txt beside it. Add --dry-run to print the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_main org.ssdspark.export.ExportMain "$@"
