#!/usr/bin/env python3
"""PyTorch's training speed with the same network, for comparison (tools/benchmark train runs it
when python3-torch is installed). Same layers and width, Adam, batch 128, random affine
augmentation (rotation, scale, shift) on the CPU, 2 threads, MNIST's training images from data/.
Usage: pytorch-train-speed.py [WIDTH [STEPS [float32|bfloat16]]]"""
import sys, time, math, gzip, os
import torch, torch.nn as nn, torch.nn.functional as F

width = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
# "bfloat16": the forward pass under CPU autocast (mixed precision), to set beside Train --precision bfloat16
bf16 = len(sys.argv) > 3 and sys.argv[3] == "bfloat16"
torch.set_num_threads(2)
torch.manual_seed(1)

def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).view(-1, 1, 28, 28)

path = "data/train-images-idx3-ubyte"
images = idx(path if os.path.exists(path) else path + ".gz").float() / 255
labels = torch.randint(0, 10, (images.shape[0],))
w = width
net = nn.Sequential(
    nn.Conv2d(1, 20 * w, 6), nn.ReLU(), nn.Conv2d(20 * w, 20 * w, 3), nn.ReLU(), nn.MaxPool2d(4, 1), nn.Dropout(0.25),
    nn.Conv2d(20 * w, 10 * w, 6), nn.ReLU(), nn.Conv2d(10 * w, 10 * w, 3), nn.ReLU(), nn.MaxPool2d(4, 1),
    nn.Dropout(0.25), nn.Flatten(), nn.Linear(640 * w, 30 * w), nn.Tanh(), nn.Linear(30 * w, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

def augment(x):
    n = x.shape[0]
    angle = (torch.rand(n) * 2 - 1) * math.radians(10)
    scale = 0.9 + torch.rand(n) * 0.2
    shift = (torch.rand(n, 2) * 2 - 1) * (2 / 14)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = torch.cos(angle) / scale
    theta[:, 0, 1] = -torch.sin(angle) / scale
    theta[:, 1, 0] = torch.sin(angle) / scale
    theta[:, 1, 1] = torch.cos(angle) / scale
    theta[:, :, 2] = shift
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, align_corners=False)

def step(i):
    idx_ = torch.randint(0, images.shape[0], (128,))
    x = augment(images[idx_])
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        loss = F.cross_entropy(net(x).float(), labels[idx_])
    loss.backward()
    opt.step()

for i in range(20):
    step(i)
start = time.time()
for i in range(steps):
    step(i)
seconds = time.time() - start
precision = "bfloat16 autocast" if bf16 else "float32"
print(f"pytorch {torch.__version__}  width {width}  batch 128  affine augmentation  {precision}  {steps * 128 / seconds:,.0f} images/s")
