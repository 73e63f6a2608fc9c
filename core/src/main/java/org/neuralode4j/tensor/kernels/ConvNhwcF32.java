package org.neuralode4j.tensor.kernels;

import java.util.Objects;

/**
 * float32 2-D convolution and average pooling in NHWC layout, as GEMMs.
 *
 * <p><b>Float32 twin of {@code ConvNhwcF64}</b>, generated from it by a type substitution (double → float, 4 → 8 lanes)
 * and kept in step with it by hand: Java has no generics over primitive arrays, and the innermost loops must
 * stay monomorphic to vectorise. The structure, blockings and the measurements quoted below are the float64 convolution's; with
 * twice the lanes per register the float32 tiles cover twice the columns.
 *
 * <p>Layouts (row-major, contiguous from index 0): input x [N, H, W, C]; weight w [KH, KW, C, F], which read
 * as a matrix is [KH·KW·C, F]; output y [N, OH, OW, F] with OH = (H + 2·pad − KH)/stride + 1 (likewise OW),
 * zero padding on all sides and the same stride on both axes. Every method overwrites its output array
 * (y, gx, gw) entirely.
 *
 * <p>The output rows (n, oh, ow) are the rows of im2row(x) [N·OH·OW, KH·KW·C] times w, so forward is
 * y = im2row(x)·w, the input gradient gx = row2im(gy·wᵀ) (the scatter-add of those rows back onto the
 * input pixels) and the weight gradient gw = im2row(x)ᵀ·gy. Three ways of evaluating that, fastest first:
 * <ul>
 *   <li>1×1, stride 1, no padding: x viewed as [N·H·W, C] is im2row(x) already; one GEMM.</li>
 *   <li>Stride 1 ("shifted GEMMs"): for kernel row ky, the KW·C inputs of output pixel (oy, ox) are
 *       contiguous in the zero-padded image xp [H+2·pad, W+2·pad, C], and those of pixel (oy, ox+1) start
 *       C further on. So xp read with leading dimension C <em>is</em> the ky-slice of im2row, for
 *       "virtual" pixels ox ∈ [0, W+2·pad) of which the last KW−1 per row are discarded (a few % of extra
 *       work): y = Σ_ky xp_ky·w_ky with no im2row copy, only a padded copy of the image. The input
 *       gradient at stride 1 is itself such a convolution, of gy with the spatially flipped, channel-
 *       transposed kernel and padding KH−1−pad. On the 3×3, 16→16, 28×28, N=64 case (JDK 25, one thread) this
 *       took the forward pass from 9.9 ms with im2row (a quarter of it spent building the 7 M-entry
 *       matrix) to 8.2 ms, the input gradient from 16 to 8.4 ms and the weight gradient from 14 to
 *       12.6 ms.</li>
 *   <li>Otherwise im2row is built for a block of output rows at a time (across image boundaries) in a
 *       per-thread buffer of about {@value #BLOCK_DOUBLES} doubles, small enough to stay in L2 between
 *       being written and read by the GEMM.</li>
 * </ul>
 * Work of at least {@link KernelTuning#GEMM_PARALLEL_FLOPS} multiply–adds is split across the kernel
 * threads: by images or bands of output rows, the weight gradient summing per-thread partials, the im2row
 * input gradient by whole images (whose scatter-adds are disjoint). Pooling is memory-bound and
 * single-threaded.
 */
public final class ConvNhwcF32 {
    /**
     * Per-thread block budget in doubles for the im2row matrix, the padded image band and the output band:
     * 512 KiB, half of L2, so a block is still there when the GEMM reads what im2row just wrote.
     */
    private static final int BLOCK_DOUBLES = 1 << 16;
    /** Fewest rows per im2row block, so deep kernels (large KH·KW·C) still give the GEMM some height. */
    private static final int MIN_BLOCK_ROWS = 32;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private ConvNhwcF32() {}

    /** y [N, OH, OW, F] = conv(x [N, H, W, C], w [KH, KW, C, F]); y is overwritten. */
    public static void conv2d(float[] x, int n, int h, int w, int c, float[] wt, int kh, int kw, int f,
                              int stride, int pad, float[] y) {
        Geometry g = new Geometry(n, h, w, c, kh, kw, f, stride, pad);
        g.check(x, wt, y, "conv2d");
        if (g.rows == 0 || f == 0) {
            return;
        }
        if (g.pointwise()) {
            GemmF32.gemm(g.rows, f, c, x, 0, false, wt, 0, false, y, 0, false);
        } else if (stride == 1) {
            shiftedForward(g, x, wt, y);
        } else {
            int parts = g.threads;
            GemmF32.parallel(parts, t -> {
                int start = (int) ((long) g.rows * t / parts);
                int end = (int) ((long) g.rows * (t + 1) / parts);
                float[] buf = BUFFERS.get().im2row(g.blockRows * g.k);
                for (int r0 = start; r0 < end; r0 += g.blockRows) {
                    int rows = Math.min(g.blockRows, end - r0);
                    im2row(g, x, r0, rows, buf);
                    gemm(parts == 1, rows, f, g.k, buf, 0, false, wt, 0, false, y, r0 * f, false);
                }
            });
        }
    }

    /** gx [N, H, W, C] = gradient of {@link #conv2d} with respect to x, given gy [N, OH, OW, F]; overwritten. */
    public static void conv2dInputGrad(float[] gy, int n, int h, int w, int c, float[] wt, int kh, int kw, int f,
                                       int stride, int pad, float[] gx) {
        Geometry g = new Geometry(n, h, w, c, kh, kw, f, stride, pad);
        g.check(gx, wt, gy, "conv2dInputGrad");
        if (g.pointwise()) {
            GemmF32.gemm(g.rows, c, f, gy, 0, false, wt, 0, true, gx, 0, false);
            return;
        }
        if (g.rows == 0 || f == 0) {
            java.util.Arrays.fill(gx, 0, n * h * w * c, 0f);
            return;
        }
        if (stride == 1 && kh == kw && pad <= kh - 1) {
            // gx[iy][ix][ch] = Σ gy[iy + pad − ky][ix + pad − kx][o]·w[ky][kx][ch][o]: a stride-1 convolution
            // of gy (F channels) with w flipped in space and transposed in channels, padded by KH−1−pad.
            float[] flipped = new float[g.k * f];
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int src = ((kh - 1 - ky) * kw + kw - 1 - kx) * c * f;
                    int dst = (ky * kw + kx) * f * c;
                    for (int ch = 0; ch < c; ch++) {
                        for (int o = 0; o < f; o++) {
                            flipped[dst + o * c + ch] = wt[src + ch * f + o];
                        }
                    }
                }
            }
            shiftedForward(new Geometry(n, g.oh, g.ow, f, kh, kw, c, 1, kh - 1 - pad), gy, flipped, gx);
            return;
        }
        java.util.Arrays.fill(gx, 0, n * h * w * c, 0f);
        int parts = Math.min(g.threads, n);
        int perImage = g.oh * g.ow;
        GemmF32.parallel(parts, t -> {
            int start = (int) ((long) n * t / parts) * perImage;
            int end = (int) ((long) n * (t + 1) / parts) * perImage;
            float[] buf = BUFFERS.get().im2row(g.blockRows * g.k);
            for (int r0 = start; r0 < end; r0 += g.blockRows) {
                int rows = Math.min(g.blockRows, end - r0);
                gemm(parts == 1, rows, g.k, f, gy, r0 * f, false, wt, 0, true, buf, 0, false);
                row2im(g, buf, r0, rows, gx);
            }
        });
    }

    /** gw [KH, KW, C, F] = gradient of {@link #conv2d} with respect to w, given x and gy; overwritten. */
    public static void conv2dWeightGrad(float[] x, float[] gy, int n, int h, int w, int c, int kh, int kw, int f,
                                        int stride, int pad, float[] gw) {
        Geometry g = new Geometry(n, h, w, c, kh, kw, f, stride, pad);
        g.check(x, gw, gy, "conv2dWeightGrad");
        int size = g.k * f;
        if (g.pointwise()) {
            GemmF32.gemm(c, f, g.rows, x, 0, true, gy, 0, false, gw, 0, false);
            return;
        }
        java.util.Arrays.fill(gw, 0, size, 0f);
        if (g.rows == 0 || f == 0) {
            return;
        }
        boolean shifted = stride == 1;
        int items = shifted ? n * g.bands : (g.rows + g.blockRows - 1) / g.blockRows;
        int parts = Math.min(g.threads, items);
        float[][] partial = new float[parts][];
        partial[0] = gw;
        for (int t = 1; t < parts; t++) {
            partial[t] = new float[size];
        }
        GemmF32.parallel(parts, t -> {
            Buffers buffers = BUFFERS.get();
            for (int item = (int) ((long) items * t / parts), end = (int) ((long) items * (t + 1) / parts); item < end; item++) {
                if (shifted) {
                    shiftedWeightGrad(g, x, gy, item, partial[t], buffers);
                } else {
                    int r0 = item * g.blockRows;
                    int rows = Math.min(g.blockRows, g.rows - r0);
                    float[] buf = buffers.im2row(g.blockRows * g.k);
                    im2row(g, x, r0, rows, buf);
                    gemm(parts == 1, g.k, f, rows, buf, 0, true, gy, r0 * f, false, partial[t], 0, true);
                }
            }
        });
        for (int t = 1; t < parts; t++) {
            float[] p = partial[t];
            for (int i = 0; i < size; i++) {
                gw[i] += p[i];
            }
        }
    }

    /** y [N, OH, OW, C] = means of x [N, H, W, C] over kernel×kernel windows at the stride, no padding; overwritten. */
    public static void avgPool2d(float[] x, int n, int h, int w, int c, int kernel, int stride, float[] y) {
        Geometry g = new Geometry(n, h, w, c, kernel, kernel, c, stride, 0);
        g.checkPool(x, y, "avgPool2d");
        float scale = 1f / (kernel * kernel);
        for (int img = 0, o = 0; img < n; img++) {
            for (int oy = 0; oy < g.oh; oy++) {
                for (int ox = 0; ox < g.ow; ox++, o += c) {
                    java.util.Arrays.fill(y, o, o + c, 0f);
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0, src = ((img * h + oy * stride + ky) * w + ox * stride) * c; kx < kernel; kx++, src += c) {
                            for (int ch = 0; ch < c; ch++) {
                                y[o + ch] += x[src + ch];
                            }
                        }
                    }
                    for (int ch = 0; ch < c; ch++) {
                        y[o + ch] *= scale;
                    }
                }
            }
        }
    }

    /** gx [N, H, W, C] = transpose of {@link #avgPool2d} applied to gy [N, OH, OW, C]; overwritten. */
    public static void avgPool2dBackward(float[] gy, int n, int h, int w, int c, int kernel, int stride, float[] gx) {
        Geometry g = new Geometry(n, h, w, c, kernel, kernel, c, stride, 0);
        g.checkPool(gx, gy, "avgPool2dBackward");
        float scale = 1f / (kernel * kernel);
        java.util.Arrays.fill(gx, 0, n * h * w * c, 0f);
        for (int img = 0, o = 0; img < n; img++) {
            for (int oy = 0; oy < g.oh; oy++) {
                for (int ox = 0; ox < g.ow; ox++, o += c) {
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0, dst = ((img * h + oy * stride + ky) * w + ox * stride) * c; kx < kernel; kx++, dst += c) {
                            for (int ch = 0; ch < c; ch++) {
                                gx[dst + ch] += gy[o + ch] * scale;
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ stride 1: shifted GEMMs

    /**
     * y = conv(x, wt) for stride 1. Work items are bands of {@code g.bandRows} output rows of one image:
     * pad the KH−1 + bandRows input rows they read into xp (or read x itself when pad = 0), then for each
     * kernel row ky accumulate xp (from row ky, leading dimension C, KW·C wide) · w_ky into a band of
     * virtual pixels, and copy out the OW real ones of each row.
     */
    private static void shiftedForward(Geometry g, float[] x, float[] wt, float[] y) {
        int items = g.n * g.bands;
        int parts = Math.min(g.threads, items);
        int seg = g.kw * g.c;
        GemmF32.parallel(parts, t -> {
            Buffers buffers = BUFFERS.get();
            for (int item = (int) ((long) items * t / parts), end = (int) ((long) items * (t + 1) / parts); item < end; item++) {
                int img = item / g.bands;
                int oy0 = item % g.bands * g.bandRows;
                int rows = Math.min(g.bandRows, g.oh - oy0);
                int m = (rows - 1) * g.wp + g.ow;
                float[] src = g.pad == 0 ? x : padBand(g, x, img, oy0, rows, buffers);
                int srcOff = g.pad == 0 ? (img * g.h + oy0) * g.w * g.c : 0;
                float[] out = buffers.band(m * g.f);
                for (int ky = 0; ky < g.kh; ky++) {
                    GemmF32.single(m, g.f, seg, src, srcOff + ky * g.wp * g.c, g.c, false,
                            wt, ky * seg * g.f, g.f, false, out, 0, g.f, ky > 0);
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(out, r * g.wp * g.f, y, ((img * g.oh + oy0 + r) * g.ow) * g.f, g.ow * g.f);
                }
            }
        });
    }

    /**
     * Adds band {@code item}'s share of gw (stride 1): gw_ky += xp_kyᵀ·gyv, where gyv is the band of gy laid
     * out on the virtual pixels, with zero rows for the KW−1 discarded ones of each output row.
     */
    private static void shiftedWeightGrad(Geometry g, float[] x, float[] gy, int item, float[] gw, Buffers buffers) {
        int seg = g.kw * g.c;
        int img = item / g.bands;
        int oy0 = item % g.bands * g.bandRows;
        int rows = Math.min(g.bandRows, g.oh - oy0);
        int m = (rows - 1) * g.wp + g.ow;
        float[] src = g.pad == 0 ? x : padBand(g, x, img, oy0, rows, buffers);
        int srcOff = g.pad == 0 ? (img * g.h + oy0) * g.w * g.c : 0;
        float[] gyv = buffers.band(m * g.f);
        for (int r = 0; r < rows; r++) {
            int dst = r * g.wp * g.f;
            System.arraycopy(gy, ((img * g.oh + oy0 + r) * g.ow) * g.f, gyv, dst, g.ow * g.f);
            if (r + 1 < rows) {
                java.util.Arrays.fill(gyv, dst + g.ow * g.f, dst + g.wp * g.f, 0f);
            }
        }
        for (int ky = 0; ky < g.kh; ky++) {
            GemmF32.single(seg, g.f, m, src, srcOff + ky * g.wp * g.c, g.c, true, gyv, 0, g.f, false,
                    gw, ky * seg * g.f, g.f, true);
        }
    }

    /** Copies input rows oy0 .. oy0+rows+KH−2 (padded coordinates) of image img, zero-padded, into a buffer. */
    private static float[] padBand(Geometry g, float[] x, int img, int oy0, int rows, Buffers buffers) {
        int count = rows + g.kh - 1;
        int rowLen = g.wp * g.c;
        float[] xp = buffers.padded(count * rowLen);
        for (int r = 0; r < count; r++) {
            int iy = oy0 + r - g.pad;
            int dst = r * rowLen;
            if (iy < 0 || iy >= g.h) {
                java.util.Arrays.fill(xp, dst, dst + rowLen, 0f);
            } else {
                java.util.Arrays.fill(xp, dst, dst + g.pad * g.c, 0f);
                System.arraycopy(x, (img * g.h + iy) * g.w * g.c, xp, dst + g.pad * g.c, g.w * g.c);
                java.util.Arrays.fill(xp, dst + (g.pad + g.w) * g.c, dst + rowLen, 0f);
            }
        }
        return xp;
    }

    // ------------------------------------------------------------------ im2row / row2im

    /** buf[r][(ky·KW + kx)·C + ch] = x at output row r0 + r's window tap (ky, kx), channel ch (0 in the padding). */
    private static void im2row(Geometry g, float[] x, int r0, int rows, float[] buf) {
        int c = g.c;
        int perImage = g.oh * g.ow;
        for (int r = 0; r < rows; r++) {
            int row = r0 + r;
            int img = row / perImage;
            int oy = row % perImage / g.ow;
            int ox = row % g.ow;
            int iy0 = oy * g.stride - g.pad;
            int ix0 = ox * g.stride - g.pad;
            // Taps kx in [kx0, kx1) fall inside the image; they are contiguous in both x and the row.
            int kx0 = Math.max(0, -ix0);
            int kx1 = Math.min(g.kw, g.w - ix0);
            int dst = r * g.k;
            int seg = g.kw * c;
            for (int ky = 0; ky < g.kh; ky++, dst += seg) {
                int iy = iy0 + ky;
                if (iy < 0 || iy >= g.h || kx0 >= kx1) {
                    java.util.Arrays.fill(buf, dst, dst + seg, 0f);
                    continue;
                }
                int src = ((img * g.h + iy) * g.w + ix0 + kx0) * c;
                int len = (kx1 - kx0) * c;
                if (len == seg) {
                    System.arraycopy(x, src, buf, dst, len);
                } else {
                    java.util.Arrays.fill(buf, dst, dst + kx0 * c, 0f);
                    System.arraycopy(x, src, buf, dst + kx0 * c, len);
                    java.util.Arrays.fill(buf, dst + kx1 * c, dst + seg, 0f);
                }
            }
        }
    }

    /** The transpose of {@link #im2row}: adds each in-image tap of buf's rows into gx. */
    private static void row2im(Geometry g, float[] buf, int r0, int rows, float[] gx) {
        int c = g.c;
        int perImage = g.oh * g.ow;
        for (int r = 0; r < rows; r++) {
            int row = r0 + r;
            int img = row / perImage;
            int oy = row % perImage / g.ow;
            int ox = row % g.ow;
            int iy0 = oy * g.stride - g.pad;
            int ix0 = ox * g.stride - g.pad;
            int kx0 = Math.max(0, -ix0);
            int kx1 = Math.min(g.kw, g.w - ix0);
            for (int ky = 0; ky < g.kh; ky++) {
                int iy = iy0 + ky;
                if (iy < 0 || iy >= g.h || kx0 >= kx1) {
                    continue;
                }
                int src = r * g.k + (ky * g.kw + kx0) * c;
                int dst = ((img * g.h + iy) * g.w + ix0 + kx0) * c;
                for (int i = 0, len = (kx1 - kx0) * c; i < len; i++) {
                    gx[dst + i] += buf[src + i];
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A contiguous GEMM; inside a parallel part it stays on the calling thread. */
    private static void gemm(boolean mayThread, int m, int n, int k, float[] a, int aOff, boolean transA,
                             float[] b, int bOff, boolean transB, float[] c, int cOff, boolean accumulate) {
        if (mayThread) {
            GemmF32.gemm(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, accumulate);
        } else {
            GemmF32.single(m, n, k, a, aOff, transA ? m : k, transA, b, bOff, transB ? k : n, transB, c, cOff, n, accumulate);
        }
    }

    /** Per-thread scratch, grown on demand: the im2row block, the padded input band and the output band. */
    private static final class Buffers {
        private float[] im2row = new float[0];
        private float[] padded = new float[0];
        private float[] band = new float[0];

        float[] im2row(int size) {
            if (im2row.length < size) {
                im2row = new float[size];
            }
            return im2row;
        }

        float[] padded(int size) {
            if (padded.length < size) {
                padded = new float[size];
            }
            return padded;
        }

        float[] band(int size) {
            if (band.length < size) {
                band = new float[size];
            }
            return band;
        }
    }

    /** Sizes of one convolution or pooling call, validated. */
    private static final class Geometry {
        final int n;
        final int h;
        final int w;
        final int c;
        final int kh;
        final int kw;
        final int f;
        final int stride;
        final int pad;
        final int oh;
        final int ow;
        /** Output rows N·OH·OW. */
        final int rows;
        /** im2row width KH·KW·C. */
        final int k;
        /** Threads the whole call may use. */
        final int threads;
        /** Output rows per im2row block. */
        final int blockRows;
        /** Padded input width W + 2·pad: virtual pixels per output row on the stride-1 path. */
        final int wp;
        /** Output rows per band on the stride-1 path, and bands per image. */
        final int bandRows;
        final int bands;

        Geometry(int n, int h, int w, int c, int kh, int kw, int f, int stride, int pad) {
            if (n < 0 || h < 1 || w < 1 || c < 1 || kh < 1 || kw < 1 || f < 0 || stride < 1 || pad < 0
                    || h + 2 * pad < kh || w + 2 * pad < kw) {
                throw new IllegalArgumentException("convolution geometry: N=" + n + " H=" + h + " W=" + w + " C=" + c
                        + " KH=" + kh + " KW=" + kw + " F=" + f + " stride=" + stride + " pad=" + pad);
            }
            this.n = n;
            this.h = h;
            this.w = w;
            this.c = c;
            this.kh = kh;
            this.kw = kw;
            this.f = f;
            this.stride = stride;
            this.pad = pad;
            this.oh = (h + 2 * pad - kh) / stride + 1;
            this.ow = (w + 2 * pad - kw) / stride + 1;
            this.rows = Math.multiplyExact(n, Math.multiplyExact(oh, ow));
            this.k = kh * kw * c;
            this.threads = (long) rows * k * f >= KernelTuning.GEMM_PARALLEL_FLOPS ? Math.min(GemmF32.threads(), rows) : 1;
            this.blockRows = Math.max(1, Math.min(Math.max(rows, 1), Math.max(MIN_BLOCK_ROWS, BLOCK_DOUBLES / k)));
            this.wp = w + 2 * pad;
            int band = Math.max(1, Math.min(oh, BLOCK_DOUBLES / (wp * Math.max(c, f))));
            if (n < threads) {
                // Too few images to go round: cut each into at least threads/N bands.
                int perImage = (threads + Math.max(n, 1) - 1) / Math.max(n, 1);
                band = Math.min(band, (oh + perImage - 1) / perImage);
            }
            this.bandRows = band;
            this.bands = (oh + band - 1) / band;
        }

        boolean pointwise() {
            return kh == 1 && kw == 1 && stride == 1 && pad == 0;
        }

        void check(float[] x, float[] wt, float[] y, String op) {
            Objects.checkFromIndexSize(0, (long) n * h * w * c, Objects.requireNonNull(x, op).length);
            Objects.checkFromIndexSize(0, (long) k * f, Objects.requireNonNull(wt, op).length);
            Objects.checkFromIndexSize(0, (long) rows * f, Objects.requireNonNull(y, op).length);
        }

        void checkPool(float[] x, float[] y, String op) {
            Objects.checkFromIndexSize(0, (long) n * h * w * c, Objects.requireNonNull(x, op).length);
            Objects.checkFromIndexSize(0, (long) rows * c, Objects.requireNonNull(y, op).length);
        }
    }
}
