#!/usr/bin/python3
"""Throughput of the PyTorch mb2-ssd-lite (the reference architecture) on this CPU.

The network is defined here from the architecture facts in DESIGN.md (MobileNetV2 width 1.0 with ReLU6,
SSD-Lite heads, 6 priors per location); module names follow the reference's state_dict, so the reference
checkpoint loads strictly, which checks the structure. Training step: forward, MultiBox loss with 3:1 hard
negative mining, backward, SGD(momentum 0.9, weight decay 5e-4). Inference: JPEG decode and bilinear resize
(PIL), (x - 127) / 128, forward, softmax, box decoding, per-class hard NMS (score > 0.01, IoU 0.45, 200
candidates) as the reference Predictor does.

  python3 submit/reference_benchmark.py --batches 8,16 --iterations 6 --warmup 2 --images DIR [--checkpoint F]
  python3 submit/reference_benchmark.py --serve ...   (used by org.ssdspark.bench.ModelBenchmark: reads
      'train B N W' / 'infer B N W' lines, answers 'ok s1 s2 ...' with seconds per timed iteration)
"""
import argparse
import copy
import io
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 21
ANCHORS = 6
POSITIVE_EVERY = 97  # the same synthetic label pattern as org.ssdspark.bench.SyntheticBatch
REFERENCE_PARAMS = 3388228


def conv_bn(inp, out, kernel, stride):
    return nn.Sequential(nn.Conv2d(inp, out, kernel, stride, (kernel - 1) // 2, bias=False),
                         nn.BatchNorm2d(out), nn.ReLU6(inplace=True))


class InvertedResidual(nn.Module):
    def __init__(self, inp, out, stride, expand):
        super().__init__()
        hidden = int(round(inp * expand))
        self.residual = stride == 1 and inp == out
        layers = []
        if expand != 1:
            layers += [nn.Conv2d(inp, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6(inplace=True)]
        layers += [nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False), nn.BatchNorm2d(hidden),
                   nn.ReLU6(inplace=True), nn.Conv2d(hidden, out, 1, bias=False), nn.BatchNorm2d(out)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


def separable(inp, out):
    return nn.Sequential(nn.Conv2d(inp, inp, 3, 1, 1, groups=inp), nn.BatchNorm2d(inp), nn.ReLU6(),
                         nn.Conv2d(inp, out, 1))


class SsdLite(nn.Module):
    # (expansion t, output channels c, repeats n, first stride s) of MobileNetV2
    SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1)]

    def __init__(self, num_classes=NUM_CLASSES, width=1.0):
        super().__init__()
        self.num_classes = num_classes
        channels = int(32 * width)
        last = int(1280 * max(1.0, width))
        features = [conv_bn(3, channels, 3, 2)]
        for t, c, n, s in self.SETTINGS:
            out = int(c * width)
            for i in range(n):
                features.append(InvertedResidual(channels, out, s if i == 0 else 1, t))
                channels = out
        features.append(conv_bn(channels, last, 1, 1))
        self.base_net = nn.ModuleList(features)
        self.extras = nn.ModuleList([InvertedResidual(last, 512, 2, 0.2), InvertedResidual(512, 256, 2, 0.25),
                                     InvertedResidual(256, 256, 2, 0.5), InvertedResidual(256, 64, 2, 0.25)])
        first = int(round(int(96 * width) * 6))  # the expansion output of block 14
        heads_in = [first, last, 512, 256, 256]
        self.classification_headers = nn.ModuleList(
            [separable(c, ANCHORS * num_classes) for c in heads_in] + [nn.Conv2d(64, ANCHORS * num_classes, 1)])
        self.regression_headers = nn.ModuleList(
            [separable(c, ANCHORS * 4) for c in heads_in] + [nn.Conv2d(64, ANCHORS * 4, 1)])

    def forward(self, x):
        for layer in self.base_net[:14]:
            x = layer(x)
        block14 = self.base_net[14].conv
        x = block14[:3](x)
        sources = [x]
        x = block14[3:](x)
        for layer in self.base_net[15:]:
            x = layer(x)
        sources.append(x)
        for layer in self.extras:
            x = layer(x)
            sources.append(x)
        batch = x.shape[0]
        conf = [h(s).permute(0, 2, 3, 1).reshape(batch, -1, self.num_classes)
                for h, s in zip(self.classification_headers, sources)]
        loc = [h(s).permute(0, 2, 3, 1).reshape(batch, -1, 4) for h, s in zip(self.regression_headers, sources)]
        return torch.cat(conf, 1), torch.cat(loc, 1)


def multibox_loss(conf, loc, labels, loc_targets, neg_pos_ratio=3):
    with torch.no_grad():
        background = -F.log_softmax(conf, dim=2)[:, :, 0]
        positive = labels > 0
        num_neg = positive.sum(dim=1, keepdim=True) * neg_pos_ratio
        background[positive] = -math.inf
        _, order = background.sort(dim=1, descending=True)
        _, rank = order.sort(dim=1)
        mask = positive | (rank < num_neg)
    classification = F.cross_entropy(conf[mask], labels[mask], reduction='sum')
    regression = F.smooth_l1_loss(loc[positive], loc_targets[positive], reduction='sum')
    n = positive.sum().clamp(min=1)
    return (regression + classification) / n


def priors(size, feature_maps):
    """Center-form priors of the reference's layout (DESIGN.md), for the given feature map sizes."""
    shrinkage = [16, 32, 64, 100, 150, 300]
    boxes = [(60, 105), (105, 150), (150, 195), (195, 240), (240, 285), (285, 330)]
    out = []
    for f, s, (lo, hi) in zip(feature_maps, shrinkage, boxes):
        scale = size / s
        for j in range(f):
            for i in range(f):
                cx, cy = (i + 0.5) / scale, (j + 0.5) / scale
                w = lo / size
                out.append([cx, cy, w, w])
                w = math.sqrt(hi * lo) / size
                out.append([cx, cy, w, w])
                w = lo / size
                for r in (2, 3):
                    r = math.sqrt(r)
                    out.append([cx, cy, w * r, w / r])
                    out.append([cx, cy, w / r, w * r])
    return torch.tensor(out, dtype=torch.float32).clamp(0.0, 1.0)


def hard_nms(boxes, scores, iou_threshold=0.45, candidates=200):
    order = scores.argsort(descending=True)[:candidates]
    keep = []
    while order.numel() > 0:
        current = order[0]
        keep.append(current)
        if order.numel() == 1:
            break
        rest = order[1:]
        a = boxes[current]
        b = boxes[rest]
        lt = torch.maximum(a[:2], b[:, :2])
        rb = torch.minimum(a[2:], b[:, 2:])
        inter = (rb - lt).clamp(min=0).prod(dim=1)
        area_a = (a[2:] - a[:2]).clamp(min=0).prod()
        area_b = (b[:, 2:] - b[:, :2]).clamp(min=0).prod(dim=1)
        iou = inter / (area_a + area_b - inter + 1e-5)
        order = rest[iou <= iou_threshold]
    return torch.stack(keep)


class Bench:
    def __init__(self, args):
        torch.manual_seed(0)
        self.size = args.size
        self.model = SsdLite(NUM_CLASSES, args.width)
        n = sum(p.numel() for p in self.model.parameters())
        if args.width == 1.0 and n != REFERENCE_PARAMS:
            raise SystemExit(f'parameter count {n} != {REFERENCE_PARAMS}')
        self.params = n
        if args.checkpoint:
            self.model.load_state_dict(torch.load(args.checkpoint, map_location='cpu'), strict=True)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
        # inference runs a copy that training never touches: the checkpoint's own scores decide how much NMS work
        # there is, and the Java side infers with the imported checkpoint too
        self.inference_model = copy.deepcopy(self.model).eval()
        with torch.no_grad():
            self.model.eval()
            c, _ = self.model(torch.zeros(1, 3, self.size, self.size))
        self.num_priors = c.shape[1]
        sizes = [19, 10, 5, 3, 2, 1] if self.size == 300 else None
        self.priors = priors(self.size, sizes) if sizes else torch.rand(self.num_priors, 4) * 0.5 + 0.25
        self.images = []
        if args.images and os.path.isdir(args.images):
            for name in sorted(os.listdir(args.images)):
                if name.endswith('.jpg'):
                    with open(os.path.join(args.images, name), 'rb') as f:
                        self.images.append(f.read())

    def batch(self, b):
        g = torch.Generator().manual_seed(b)
        x = torch.rand(b, 3, self.size, self.size, generator=g) * 2 - 1
        p = torch.arange(self.num_priors)
        labels = torch.zeros(b, self.num_priors, dtype=torch.long)
        for i in range(b):
            positive = (p + i) % POSITIVE_EVERY == 0
            labels[i][positive] = 1 + p[positive] % (NUM_CLASSES - 1)
        return x, labels, torch.randn(b, self.num_priors, 4, generator=g) * 0.5

    def train_step(self, data):
        x, labels, targets = data
        self.model.train()
        self.optimizer.zero_grad()
        conf, loc = self.model(x)
        loss = multibox_loss(conf, loc, labels, targets)
        loss.backward()
        self.optimizer.step()

    def infer(self, jpegs):
        from PIL import Image
        arrays, dims = [], []
        for data in jpegs:
            image = Image.open(io.BytesIO(data)).convert('RGB')
            dims.append(image.size)
            arrays.append(np.asarray(image.resize((self.size, self.size), Image.BILINEAR), dtype=np.float32))
        x = (torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2) - 127.0) / 128.0
        detections = 0
        with torch.no_grad():
            conf, loc = self.inference_model(x)
            scores = F.softmax(conf, dim=2)
            p = self.priors
            centers = torch.cat([loc[..., :2] * 0.1 * p[:, 2:] + p[:, :2], torch.exp(loc[..., 2:] * 0.2) * p[:, 2:]], -1)
            boxes = torch.cat([centers[..., :2] - centers[..., 2:] / 2, centers[..., :2] + centers[..., 2:] / 2], -1)
            for i, (w, h) in enumerate(dims):
                for c in range(1, scores.shape[2]):
                    probs = scores[i, :, c]
                    mask = probs > 0.01
                    if mask.any():
                        kept = hard_nms(boxes[i][mask], probs[mask])
                        detections += kept.numel()
        return detections

    def measure(self, what, b, iterations, warmup):
        if what == 'train':
            data = self.batch(b)
            step = lambda: self.train_step(data)
        elif what == 'forward':
            x = self.batch(b)[0]

            def step():
                with torch.no_grad():
                    self.inference_model(x)
        elif what == 'infer':
            jpegs = [self.images[i % len(self.images)] for i in range(b)]
            step = lambda: self.infer(jpegs)
        else:
            raise ValueError(what)
        for _ in range(warmup):
            step()
        seconds = []
        for _ in range(iterations):
            t0 = time.perf_counter()
            step()
            seconds.append(time.perf_counter() - t0)
        return seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--serve', action='store_true')
    ap.add_argument('--batches', default='8,16')
    ap.add_argument('--iterations', type=int, default=6)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--infer-batch', type=int, default=8)
    ap.add_argument('--width', type=float, default=1.0)
    ap.add_argument('--size', type=int, default=300)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '2')))
    ap.add_argument('--images')
    ap.add_argument('--checkpoint')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    bench = Bench(args)
    about = (f'PyTorch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn '
             f'{torch.backends.mkldnn.is_available()}, {bench.params:,} parameters, {bench.num_priors} priors')
    if args.serve:
        print('ready ' + about, flush=True)
        for line in sys.stdin:
            parts = line.split()
            if not parts or parts[0] == 'quit':
                break
            try:
                seconds = bench.measure(parts[0], int(parts[1]), int(parts[2]), int(parts[3]))
                print('ok ' + ' '.join(f'{s:.6f}' for s in seconds), flush=True)
            except Exception as e:  # report, keep serving
                print('error ' + repr(e).replace('\n', ' '), flush=True)
        return
    print(about)
    for b in [int(v) for v in args.batches.split(',')]:
        s = bench.measure('train', b, args.iterations, args.warmup)
        print(f'train batch {b}: {b / np.median(s):.2f} images/s')
    if bench.images:
        s = bench.measure('infer', args.infer_batch, args.iterations, args.warmup)
        print(f'infer batch {args.infer_batch}: {args.infer_batch / np.median(s):.2f} images/s')


if __name__ == '__main__':
    main()
