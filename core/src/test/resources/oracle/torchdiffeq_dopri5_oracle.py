"""Independent oracle for neuralode4j's torchdiffeq-compatible dopri5 preset.

A transcription, in numpy float64, of the adaptive stepping of torchdiffeq 0.2.x (rk_common.py:
RKAdaptiveStepsizeODESolver._adaptive_step, misc.py: _select_initial_step, _compute_error_ratio,
_optimal_step_size; odeint's negation of decreasing time). It solves a fixed tanh MLP field whose weights are
closed-form expressions, forwards from t=0 to 1 and backwards from t=1 to 0, and prints every attempted step.
TorchdiffeqPresetTest.matchesATranscriptionOfTorchdiffeqWithRejections replays both solves and compares NFE,
rejections and the accepted steps with these numbers. Regenerate with: python3 torchdiffeq_dopri5_oracle.py
"""
import numpy as np

H = 32
SCALE = 4.0   # hidden-to-hidden weight scale
GAIN = 12.0   # output weight scale
W1S = 12.0    # input weight scale: sharp tanh transitions make the step control reject steps


def weights():
    w1 = np.array([[W1S * np.sin(1 + 7 * j + 3 * p) for p in range(3)] for j in range(H)])
    b1 = np.array([0.5 * np.cos(2 + j) for j in range(H)])
    w2 = np.array([[SCALE / np.sqrt(H) * np.sin(0.3 + 5 * j + 11 * k) for k in range(H)] for j in range(H)])
    b2 = np.array([0.3 * np.sin(4 + 3 * j) for j in range(H)])
    w3 = np.array([[GAIN / np.sqrt(H) * np.cos(0.7 + 13 * i + 2 * j) for j in range(H)] for i in range(3)])
    b3 = np.array([0.1, -0.2, 0.05])
    return w1, b1, w2, b2, w3, b3


def field(z, w):
    w1, b1, w2, b2, w3, b3 = w
    return np.tanh(np.tanh(z @ w1.T + b1) @ w2.T + b2) @ w3.T + b3


def start(n=48):
    i = np.arange(n)
    return np.stack([np.cos(i), 0.8 * np.sin(2 * i), np.zeros(n)], 1)


ALPHA = [1 / 5, 3 / 10, 4 / 5, 8 / 9, 1., 1.]
BETA = [[1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
        [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
C_SOL = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0])
C_ERR = C_SOL - np.array([1951 / 21600, 0, 22642 / 50085, 451 / 720, -12231 / 42400, 649 / 6300, 1 / 60])


def rms(a):
    return np.sqrt(np.mean(a * a))


def solve(f, y0, t0, t1, rtol, atol):
    """torchdiffeq's dopri5 on dy/dt = f(y): the end state of the last step (no dense output), the NFE and the
    attempts as (t, h, ratio, accepted) in true time."""
    sgn = -1.0 if t1 < t0 else 1.0
    t0, t1 = sgn * t0, sgn * t1
    nfe = [0]

    def F(y):
        nfe[0] += 1
        return sgn * f(y)

    f0 = F(y0)
    scale = atol + np.abs(y0) * rtol
    d0, d1 = rms(y0 / scale), rms(f0 / scale)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    f1 = F(y0 + h0 * f0)
    d2 = rms((f1 - f0) / scale) / h0
    h1 = max(1e-6, h0 * 1e-3) if (d1 <= 1e-15 and d2 <= 1e-15) else (0.01 / max(d1, d2)) ** (1 / 5)
    dt = min(100 * h0, h1)
    y, fy, t = y0, f0, t0
    attempts = []
    while t1 > t:
        k = [fy]
        for a, b in zip(ALPHA, BETA):
            yi = y + dt * sum(bj * kj for bj, kj in zip(b, k))
            k.append(F(yi))
        y_new = yi
        err = dt * sum(c * kk for c, kk in zip(C_ERR, k))
        ratio = rms(err / (atol + rtol * np.maximum(np.abs(y), np.abs(y_new))))
        accept = ratio <= 1
        attempts.append((sgn * t, sgn * dt, ratio, bool(accept)))
        if accept:
            y, fy, t = y_new, k[-1], t + dt
        factor = 10.0 if ratio == 0 else min(10.0, max(0.9 / ratio ** (1 / 5), 1.0 if ratio < 1 else 0.2))
        dt = dt * factor
    return y, nfe[0], attempts


if __name__ == '__main__':
    w = weights()
    y1, n, att = solve(lambda z: field(z, w), start(), 0.0, 1.0, 1e-3, 1e-3)
    print('forward nfe', n)
    for a in att:
        print('  t=%.17g h=%.17g ratio=%.6g %s' % a)
    # The backward solve starts from its own closed-form state, so that it does not depend on the forward solve's
    # dense output: only the step control (with torchdiffeq's negated time) is under test.
    y0, n, att = solve(lambda z: field(z, w), 0.02 * start() + 0.1, 1.0, 0.0, 1e-3, 1e-3)
    print('backward nfe', n)
    for a in att:
        print('  t=%.17g h=%.17g ratio=%.6g %s' % a)
