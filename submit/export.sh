#!/usr/bin/env bash
# Exports a checkpoint (ours, or a PyTorch .pth of the full model) for the original's PyTorch tooling or ONNX runtimes:
#   submit/export.sh --model CKPT --format pth|onnx --output FILE [--labels FILE]
# pth: the original's state_dict (load_state_dict(strict=True) of create_mobilenetv2_ssd_lite takes it); onnx: the
# network with softmax and box decoding (input "input", outputs "scores" and "boxes"). labels.txt goes beside the file.
# Add --dry-run to print the command instead of running it.
source "$(dirname "$0")/common.sh"
ssd_main org.ssdspark.export.ExportMain "$@"
