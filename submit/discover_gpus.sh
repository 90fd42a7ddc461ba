#!/usr/bin/env bash
# Spark resource discovery script (spark.{executor,worker}.resource.gpu.discoveryScript):
# prints this host's NVIDIA cards in the JSON form Spark expects, e.g. {"name":"gpu","addresses":["0","1"]}.
# The addresses are the indices a process here uses (CUDA's, which ND4J takes): where YARN or Kubernetes
# isolation sets CUDA_VISIBLE_DEVICES, the cards it lists are 0..n-1 whatever nvidia-smi calls them.
# SSD_FAKE_GPUS=N prints N fake addresses (tests and dry runs on machines without cards).
set -euo pipefail
if [ -n "${SSD_FAKE_GPUS:-}" ]; then
  addrs=$(seq -s, 0 $((SSD_FAKE_GPUS - 1)) | sed 's/\([0-9]\+\)/"\1"/g')
elif [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [ "${CUDA_VISIBLE_DEVICES}" != "NoDevFiles" ]; then
  n=$(tr ',' '\n' <<< "$CUDA_VISIBLE_DEVICES" | grep -c .)
  addrs=$(seq -s, 0 $((n - 1)) | sed 's/\([0-9]\+\)/"\1"/g')
elif command -v nvidia-smi >/dev/null 2>&1; then
  addrs=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, -)
else
  addrs=""
fi
echo "{\"name\":\"gpu\",\"addresses\":[${addrs}]}"
