"""Replays the library's W1 direct/rnode run in PyTorch + torchdiffeq 0.2.5: the initial weights, training data,
batch order and every ε that W1RunExport.java wrote, so any difference is the training computation's.

Usage: python replay.py run0.json f64|f32 [quiet] [torch-eps] [torch-init] [torch-head] [torch-field]
The flags swap one input for PyTorch's own draw (torch.manual_seed-based), to find which input moves the NFE.
"""
import json, sys
import numpy as np, torch
from torch import nn
import torchdiffeq
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64 if sys.argv[2] == 'f64' else torch.float32)
d = json.load(open(sys.argv[1]))
class F(nn.Module):
    def __init__(s):
        super().__init__(); s.l1, s.l2, s.l3 = nn.Linear(3,64), nn.Linear(64,64), nn.Linear(64,3); s.nfe=0
    def f(s, z): return s.l3(torch.tanh(s.l2(torch.tanh(s.l1(z)))))
    def forward(s, t, st):
        s.nfe += 1
        z = st[0]
        with torch.enable_grad():
            if not z.requires_grad: z = z.requires_grad_(True)
            dz = s.f(z)
            v = torch.autograd.grad(dz, z, s.eps, create_graph=True)[0]
        return dz, (dz**2).sum(1, keepdim=True), (v**2).sum(1, keepdim=True)
flags = set(sys.argv[3:])
torch.manual_seed(int(d.get('seed', 0)) + 12345)
f = F(); head = nn.Linear(3,1)
names = {'l1.weight':'field.layers.0.weight','l1.bias':'field.layers.0.bias','l2.weight':'field.layers.2.weight','l2.bias':'field.layers.2.bias','l3.weight':'field.layers.4.weight','l3.bias':'field.layers.4.bias'}
with torch.no_grad():
  if 'torch-init' not in flags:  # else keep PyTorch's default init (seeded above)
    for k,v in f.named_parameters(): v.copy_(torch.tensor(d['w.'+names[k]]).reshape(v.shape))
    head.weight.copy_(torch.tensor(d['w.head.weight']).reshape(1,3)); head.bias.copy_(torch.tensor(d['w.head.bias']).reshape(1))
  if 'torch-head' in flags:
    torch.manual_seed(777); h2 = nn.Linear(3,1); head.weight.copy_(h2.weight); head.bias.copy_(h2.bias)
  if 'torch-field' in flags:
    torch.manual_seed(778); f2 = F()
    for (k,v),(k2,v2) in zip(f.named_parameters(), f2.named_parameters()): v.copy_(v2)
X = torch.tensor(d['x']).reshape(2048,2); Y = torch.tensor(d['y']).reshape(2048)
opt = torch.optim.Adam(list(f.parameters())+list(head.parameters()), lr=1e-2)
it = 0
for e in range(20):
    perm = d['perms'][e]; nf = []
    for s in range(0, 2048, 256):
        idx = torch.tensor(perm[s:s+256])
        f.eps = torch.randn(256,3) if 'torch-eps' in flags else torch.tensor(d['eps'][it]).reshape(256,3)
        z0 = torch.cat([X[idx], torch.zeros(256,1)],1)
        opt.zero_grad(); f.nfe = 0
        out = torchdiffeq.odeint(f, (z0, torch.zeros(256,1), torch.zeros(256,1)), torch.tensor([0.,1.]), rtol=1e-3, atol=1e-3, method='dopri5')
        n = f.nfe
        bce = nn.functional.binary_cross_entropy_with_logits(head(out[0][-1]).squeeze(1), Y[idx])
        loss = bce + 0.01*out[1][-1].mean() + 0.01*out[2][-1].mean()
        loss.backward(); opt.step()
        if 'quiet' not in flags and (it < 5 or it % 20 == 0 or it >= 152):
            print(f"it {it:3d}: torch loss {loss.item():.10f} nfe {n:3d} | lib loss {d['loss'][it]:.10f} nfe {d['nfe'][it]:3d}")
        nf.append(n); it += 1
    if 'quiet' not in flags or e >= 17: print(f"epoch {e+1:2d}: torch fwd {np.mean(nf):.2f}  lib fwd {np.mean(d['nfe'][it-8:it]):.2f}")
