"""W1 (workloads.md §1) with PyTorch + torchdiffeq 0.2.5, written from the spec: an independent reference run.

Usage: python w1_reference.py VARIANT SEED [--save weights.json] [--data-seed N]
VARIANT: direct/none, direct/rnode, adjoint/none, adjoint/rnode.
Prints per-epoch forward/backward NFE means and the last epoch's figures.
"""
import json, math, sys
import numpy as np
import torch
from torch import nn
import torchdiffeq

torch.set_num_threads(1)


def disk_annulus(n, seed):
    rng = np.random.default_rng(seed)
    n0 = n // 2
    u = rng.random(n)
    r = np.where(np.arange(n) < n0, 0.5 * np.sqrt(u), np.sqrt(1 + 1.25 * u))
    th = 2 * math.pi * rng.random(n)
    x = np.stack([r * np.cos(th), r * np.sin(th)], 1)
    y = (np.arange(n) >= n0).astype(np.float32)
    p = rng.permutation(n)
    return torch.tensor(x[p], dtype=torch.float32), torch.tensor(y[p], dtype=torch.float32)


class Field(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(3, 64), nn.Linear(64, 64), nn.Linear(64, 3)
        self.nfe = 0
        self.eps = None
        self.rnode = False

    def f(self, z):
        return self.l3(torch.tanh(self.l2(torch.tanh(self.l1(z)))))

    def forward(self, t, state):
        self.nfe += 1
        if not self.rnode:
            return self.f(state)
        z = state[0]
        with torch.enable_grad():
            if not z.requires_grad:
                z = z.requires_grad_(True)
            dz = self.f(z)
            v = torch.autograd.grad(dz, z, self.eps, create_graph=True)[0]
        ke = (dz ** 2).sum(1, keepdim=True)
        jf = (v ** 2).sum(1, keepdim=True)
        return dz, ke, jf


def run(variant, seed, save=None, data_seed=None):
    method, reg = variant.split("/")
    torch.manual_seed(seed)
    field, head = Field(), nn.Linear(3, 1)
    field.rnode = reg == "rnode"
    params = list(field.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-2)
    x, y = disk_annulus(2048, seed if data_seed is None else data_seed)
    perm_gen = torch.Generator().manual_seed(seed + 100)
    solve = torchdiffeq.odeint_adjoint if method == "adjoint" else torchdiffeq.odeint
    t = torch.tensor([0.0, 1.0])
    kw = dict(rtol=1e-3, atol=1e-3, method="dopri5")
    if method == "adjoint":
        kw["adjoint_params"] = tuple(field.parameters())
    epochs = []
    for epoch in range(20):
        perm = torch.randperm(2048, generator=perm_gen)
        fwd, bwd, bce_sum = [], [], 0.0
        for it in range(8):
            idx = perm[it * 256:(it + 1) * 256]
            z0 = torch.cat([x[idx], torch.zeros(256, 1)], 1)
            opt.zero_grad()
            field.nfe = 0
            if field.rnode:
                field.eps = torch.randn(256, 3)
                state = (z0, torch.zeros(256, 1), torch.zeros(256, 1))
                out = solve(field, state, t, **kw)
                z1, ke1, jf1 = out[0][-1], out[1][-1], out[2][-1]
            else:
                z1 = solve(field, z0, t, **kw)[-1]
            nf = field.nfe
            logit = head(z1).squeeze(1)
            bce = nn.functional.binary_cross_entropy_with_logits(logit, y[idx])
            loss = bce + (0.01 * ke1.mean() + 0.01 * jf1.mean() if field.rnode else 0)
            field.nfe = 0
            loss.backward()
            opt.step()
            fwd.append(nf)
            bwd.append(field.nfe)
            bce_sum += bce.item()
        epochs.append((np.mean(fwd), np.mean(bwd), bce_sum / 8))
        print(f"epoch {epoch + 1:2d}: fwd {np.mean(fwd):6.2f} bwd {np.mean(bwd):6.2f} bce {bce_sum / 8:.4f}", flush=True)
    last = epochs[-1]
    print(f"RESULT {variant} seed {seed}: last-epoch fwd {last[0]:.2f} bwd {last[1]:.2f} bce {last[2]:.4f}")
    if save:
        w = {k: v.detach().double().numpy().tolist() for k, v in list(field.state_dict().items())}
        w.update({"head." + k: v.detach().double().numpy().tolist() for k, v in head.state_dict().items()})
        json.dump(w, open(save, "w"))


if __name__ == "__main__":
    save = sys.argv[sys.argv.index("--save") + 1] if "--save" in sys.argv else None
    data_seed = int(sys.argv[sys.argv.index("--data-seed") + 1]) if "--data-seed" in sys.argv else None
    run(sys.argv[1], int(sys.argv[2]), save, data_seed)
