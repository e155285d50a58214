"""PyTorch CPU reference for `make bench`: the same ring-of-8 GAN as gankit's benchmark.

G z2->128->128->2 ReLU, D 2->128->128->1 LeakyReLU 0.2, batch 256, Adam 1e-4 (0.5, 0.999),
non-saturating loss, one D and one G step per iteration. Prints "it/s <rate>".
"""
import argparse
import math
import time

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--iters", type=int, default=2000)
p.add_argument("--warmup", type=int, default=50)
p.add_argument("--threads", type=int, default=1)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

G = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
D = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
optG = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.999))
optD = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
B = 256
angles = torch.tensor([2 * math.pi * i / 8 for i in range(8)])
centres = torch.stack([2 * torch.cos(angles), 2 * torch.sin(angles)], 1)
ones, zeros = torch.ones(B, 1), torch.zeros(B, 1)


def real_batch():
    return centres[torch.randint(0, 8, (B,))] + 0.02 * torch.randn(B, 2)


def step():
    x = real_batch()
    fake = G(torch.randn(B, 2)).detach()
    lossD = bce(D(x), ones) + bce(D(fake), zeros)
    optD.zero_grad()
    lossD.backward()
    optD.step()
    lossG = bce(D(G(torch.randn(B, 2))), ones)
    optG.zero_grad()
    lossG.backward()
    optG.step()


for _ in range(args.warmup):
    step()
start = time.perf_counter()
for _ in range(args.iters):
    step()
print("it/s %.3f" % (args.iters / (time.perf_counter() - start)))


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
