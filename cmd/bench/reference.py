"""PyTorch CPU reference for `make bench`: the same models as gankit's benchmark.

--workload ring: G z2->128->128->2 ReLU, D 2->128->128->1 LeakyReLU 0.2, batch 256,
  Adam 1e-4 (0.5, 0.999), non-saturating loss, one D and one G step per iteration.
--workload dcgan: 28x28x1 images, batch 64, Adam 2e-4 (0.5, 0.999), non-saturating loss.
  G: z64 -> dense 7x7x64, BN, ReLU -> nearest x2, 3x3 conv 32, BN, ReLU -> nearest x2,
  3x3 conv 1, tanh. D: 4x4 stride-2 conv 32, LeakyReLU 0.2 -> 4x4 stride-2 conv 64, BN,
  LeakyReLU 0.2 -> dense 1.
--workload layers: one forward + backward of each layer type at the DCGAN's sizes.

Prints "it/s <rate>" (or "layer <name> <ms>" lines), then the BLAS in use and torch's version.
"""
import argparse
import math
import time

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--workload", default="ring", choices=["ring", "dcgan", "layers"])
p.add_argument("--iters", type=int, default=2000)
p.add_argument("--warmup", type=int, default=50)
p.add_argument("--threads", type=int, default=1)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)
bce = nn.BCEWithLogitsLoss()


def gan_step(G, D, optG, optD, real_batch, noise):
    def step():
        x = real_batch()
        ones = torch.ones(x.shape[0], 1)
        zeros = torch.zeros(x.shape[0], 1)
        fake = G(noise()).detach()
        lossD = bce(D(x), ones) + bce(D(fake), zeros)
        optD.zero_grad()
        lossD.backward()
        optD.step()
        lossG = bce(D(G(noise())), ones)
        optG.zero_grad()
        lossG.backward()
        optG.step()
    return step


def ring():
    G = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
    D = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
    optG = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.999))
    B = 256
    angles = torch.tensor([2 * math.pi * i / 8 for i in range(8)])
    centres = torch.stack([2 * torch.cos(angles), 2 * torch.sin(angles)], 1)
    real = lambda: centres[torch.randint(0, 8, (B,))] + 0.02 * torch.randn(B, 2)
    return gan_step(G, D, optG, optD, real, lambda: torch.randn(B, 2))


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def dcgan_nets():
    G = nn.Sequential(
        nn.Linear(64, 7 * 7 * 64), Reshape(64, 7, 7), nn.BatchNorm2d(64), nn.ReLU(),
        nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(64, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(32, 1, 3, 1, 1), nn.Tanh())
    D = nn.Sequential(
        nn.Conv2d(1, 32, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1))
    return G, D


def dcgan():
    G, D = dcgan_nets()
    optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    B = 64
    pool = torch.tanh(torch.randn(1024, 1, 28, 28))
    real = lambda: pool[torch.randint(0, 1024, (B,))]
    return gan_step(G, D, optG, optD, real, lambda: torch.randn(B, 64))


def timed(step, iters, warmup):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(iters):
        step()
    return (time.perf_counter() - start) / iters


def layers():
    """Forward + backward (w.r.t. input and parameters) of each layer type at the DCGAN's sizes."""
    B = 64
    cases = [
        ("dense 64->3136", nn.Linear(64, 3136), (B, 64)),
        ("conv 3x3 s1 64->32 @14", nn.Conv2d(64, 32, 3, 1, 1), (B, 64, 14, 14)),
        ("conv 3x3 s1 32->1 @28", nn.Conv2d(32, 1, 3, 1, 1), (B, 32, 28, 28)),
        ("conv 4x4 s2 1->32 @28", nn.Conv2d(1, 32, 4, 2, 1), (B, 1, 28, 28)),
        ("conv 4x4 s2 32->64 @14", nn.Conv2d(32, 64, 4, 2, 1), (B, 32, 14, 14)),
        ("upsample x2 + conv 3x3 64->32 @7", nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(64, 32, 3, 1, 1)), (B, 64, 7, 7)),
        ("upsample x2 64 @7", nn.Upsample(scale_factor=2, mode="nearest"), (B, 64, 7, 7)),
        ("batchnorm 32 @14", nn.BatchNorm2d(32), (B, 32, 14, 14)),
    ]
    for name, layer, shape in cases:
        x = torch.randn(*shape, requires_grad=True)

        def step():
            layer.zero_grad()
            x.grad = None
            y = layer(x)
            ((y * y).sum() / 2).backward()  # the gradient arriving at the output is y itself
        print("layer %s|%.4f" % (name, 1000 * timed(step, max(args.iters, 1), args.warmup)))


if args.workload == "layers":
    layers()
else:
    step = ring() if args.workload == "ring" else dcgan()
    print("it/s %.3f" % (1 / timed(step, args.iters, args.warmup)))


def blas_libraries():
    """The BLAS shared libraries loaded into this process (Linux), e.g. OpenBLAS or the
    slow reference BLAS that Debian's python3-torch falls back to without libopenblas0."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    return ",".join(sorted(paths)) or "none"


print("blas " + blas_libraries())
print("torch " + torch.__version__)
