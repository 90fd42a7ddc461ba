#!/usr/bin/env python3
"""Checks an exported .pth with the original: qfgaohao/pytorch-ssd loads it (strict) and predicts, on a VOC
folder's split, the detections that submit/eval.sh wrote for the same checkpoint.

    submit/export.sh --model CKPT --output /tmp/x/model.pth
    submit/eval.sh --data_path VOC --model CKPT --eval_dir /tmp/x/eval
    PYTORCH_SSD_DIR=... /usr/bin/python3 submit/verify_export.py --pth /tmp/x/model.pth --voc VOC \\
        --eval-dir /tmp/x/eval [--width 0.25 --size 96]

Needs Debian's python3-torch and python3-opencv and a checkout of the original (commit 7a839cb) in
PYTORCH_SSD_DIR; the project itself needs no Python. Detections are matched per (image, class) in score order; it
prints the counts and the largest score and box differences, and exits 1 when the (image, class) lists differ in
length, a score differs by more than 1e-4, or more than 1% of the boxes by more than 0.05 px (float32 rounding of
two implementations, as the evaluation's own parity test allows).
"""
import argparse
import collections
import os
import sys


def specs_for(size, SSDSpec, SSDBoxSizes, default):
    """The original's mobilenetv1_ssd_config specs scaled to another input side (as the project's SsdSpec does)."""
    if size == 300:
        return default
    ref_sizes = [(60, 105), (105, 150), (150, 195), (195, 240), (240, 285), (285, 330)]
    f = size
    for _ in range(4):
        f = (f + 1) // 2
    specs, scale = [], size / 300.0
    for i, (lo, hi) in enumerate(ref_sizes):
        if i > 0:
            f = (f + 1) // 2
        specs.append(SSDSpec(f, size / f, SSDBoxSizes(lo * scale, hi * scale), [2, 3]))
    return specs


def read_det_files(folder, classes):
    dets = collections.defaultdict(list)
    for name in classes[1:]:
        path = os.path.join(folder, "det_test_%s.txt" % name)
        if not os.path.isfile(path):
            continue
        for line in open(path):
            f = line.split()
            dets[(f[0], name)].append([float(v) for v in f[1:]])
    return dets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pth", required=True)
    ap.add_argument("--labels", help="default: labels.txt beside the .pth")
    ap.add_argument("--voc", required=True, help="VOC folder (JPEGImages/, ImageSets/Main/<split>.txt)")
    ap.add_argument("--split", default="test")
    ap.add_argument("--eval-dir", required=True, help="submit/eval.sh's output for the same checkpoint")
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--size", type=int, default=300)
    args = ap.parse_args()

    original = os.environ.get("PYTORCH_SSD_DIR")
    if not original or not os.path.isfile(os.path.join(original, "vision/ssd/mobilenet_v2_ssd_lite.py")):
        sys.exit("set PYTORCH_SSD_DIR to a checkout of github.com/qfgaohao/pytorch-ssd (commit 7a839cb)")
    sys.path.insert(0, original)
    import cv2
    import torch
    from vision.ssd.config import mobilenetv1_ssd_config as config
    from vision.utils.box_utils import SSDSpec, SSDBoxSizes, generate_ssd_priors

    config.image_size = args.size
    config.specs = specs_for(args.size, SSDSpec, SSDBoxSizes, config.specs)
    config.priors = generate_ssd_priors(config.specs, args.size)
    from vision.ssd.mobilenet_v2_ssd_lite import create_mobilenetv2_ssd_lite, create_mobilenetv2_ssd_lite_predictor

    labels = args.labels or os.path.join(os.path.dirname(os.path.abspath(args.pth)), "labels.txt")
    classes = [line.strip() for line in open(labels) if line.strip()]
    net = create_mobilenetv2_ssd_lite(len(classes), width_mult=args.width, is_test=True)
    print("load_state_dict(strict=True):", net.load_state_dict(torch.load(args.pth), strict=True))
    predictor = create_mobilenetv2_ssd_lite_predictor(net, candidate_size=200)

    ids = [line.strip() for line in open(os.path.join(args.voc, "ImageSets/Main/%s.txt" % args.split)) if line.strip()]
    theirs = collections.defaultdict(list)
    import contextlib
    import io
    for image_id in ids:
        image = cv2.cvtColor(cv2.imread(os.path.join(args.voc, "JPEGImages", image_id + ".jpg")), cv2.COLOR_BGR2RGB)
        with contextlib.redirect_stdout(io.StringIO()):  # the Predictor prints its inference time
            boxes, labels_, probs = predictor.predict(image, -1, 0.01)
        for box, label, prob in zip(boxes.tolist(), labels_.tolist(), probs.tolist()):
            theirs[(image_id, classes[label])].append([prob] + [v + 1.0 for v in box])  # eval_ssd.py: 1-based
    ours = read_det_files(args.eval_dir, classes)

    keys = set(theirs) | set(ours)
    count_mismatch = [k for k in keys if len(theirs.get(k, [])) != len(ours.get(k, []))]
    score_diff, box_diffs = 0.0, []
    for k in keys:
        a = sorted(theirs.get(k, []), key=lambda d: -d[0])
        b = sorted(ours.get(k, []), key=lambda d: -d[0])
        for x, y in zip(a, b):
            score_diff = max(score_diff, abs(x[0] - y[0]))
            box_diffs.append(max(abs(p - q) for p, q in zip(x[1:], y[1:])))
    n_theirs = sum(len(v) for v in theirs.values())
    n_ours = sum(len(v) for v in ours.values())
    off = sum(1 for d in box_diffs if d > 0.05)
    print("images %d; detections: original %d, eval.sh %d; (image, class) lists of another length: %d"
          % (len(ids), n_theirs, n_ours, len(count_mismatch)))
    print("max |score diff| %.3g; max |box diff| %.4g px; boxes off by more than 0.05 px: %d of %d"
          % (score_diff, max(box_diffs, default=0.0), off, len(box_diffs)))
    ok = not count_mismatch and score_diff <= 1e-4 and off <= len(box_diffs) / 100
    print("verdict:", "the original predicts eval.sh's detections" if ok else "DIFFERENT")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
