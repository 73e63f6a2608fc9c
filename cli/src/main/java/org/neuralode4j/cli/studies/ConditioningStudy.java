package org.neuralode4j.cli.studies;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.neuralode4j.NeuralOdeException;
import org.neuralode4j.analysis.Conditioning;
import org.neuralode4j.analysis.ConditioningStats;
import org.neuralode4j.analysis.Fgsm;
import org.neuralode4j.analysis.Margin;
import org.neuralode4j.analysis.Pgd;
import org.neuralode4j.analysis.verdict.ParetoFront;
import org.neuralode4j.cli.options.SolverOptions;
import org.neuralode4j.cli.plots.Plots;
import org.neuralode4j.cli.report.OutputDir;
import org.neuralode4j.data.LabelledSet;
import org.neuralode4j.data.Toys2d;
import org.neuralode4j.models.AugmentedNodeClassifier;
import org.neuralode4j.models.ClassifierSpec;
import org.neuralode4j.models.EncodedNodeClassifier;
import org.neuralode4j.models.NodeClassifier;
import org.neuralode4j.ode.SolverConfig;
import org.neuralode4j.regularize.ConditionNumber;
import org.neuralode4j.regularize.JacobianFrobeniusExact;
import org.neuralode4j.regularize.Regulariser;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.tensor.Rng;
import org.neuralode4j.tensor.Tensor;
import org.neuralode4j.train.ClassifierTrainer;
import org.neuralode4j.train.EpochMetrics;
import org.neuralode4j.train.TrainConfig;

/**
 * {@code study conditioning}: a CPU-scaled test of Josias &amp; Brink (2022), "Jacobian Norm Regularisation and
 * Conditioning in Neural ODEs" (claims.md §1, rules of §0.1). W1's model on disk-annulus, moons σ = 0.2 and
 * 2spirals; arms none, exact Frobenius and condition number over the λ grid; per run test accuracy and NFE,
 * training NFE per epoch, κ along test trajectories (median, p90, at t = 1, per-time profile), FGSM and PGD-20
 * accuracy, and directional L2 margins (mean, median, p10, censored count). The claims are in
 * {@link ConditioningClaims}.
 */
public final class ConditioningStudy implements Study {
    static final String[] TASKS = {"disk-annulus", "moons", "2spirals", ConditioningImageTask.NAME};
    /** Every task but disk-annulus, which saturates at 100 % (claims.md §1). */
    static final String[] HARD_TASKS = {"moons", "2spirals", ConditioningImageTask.NAME};
    static final double[] LAMBDAS = {0.01, 0.1, 1};
    /** evaluation.md §6, 2-D data: ε ∈ {0, 0.05, 0.1, 0.2, 0.3}; ε = 0 is the clean accuracy. */
    static final double[] EPS = {0.05, 0.1, 0.2, 0.3};

    /** The attack radii of a task: the 2-D list, or the image list in pixel space. */
    static double[] eps(String task) {
        return isImage(task) ? ConditioningImageTask.EPS : EPS;
    }

    static boolean isImage(String task) {
        return task.equals(ConditioningImageTask.NAME);
    }
    static final String NONE = "none";
    /** The evaluation grid M = 10 (evaluation.md §1.1). */
    static final int GRID = 11;
    /** Adam's learning rate on the 2-D tasks (claims.md §1). */
    static final double LEARNING_RATE = 1e-2;
    /**
     * 2spirals' learning rate. At claims.md's 1e-2 the unregularised model trains, then collapses and recovers at
     * random: in the report of seeds 100–104, seeds 101 and 103 ended at test accuracy 0.748 and 0.779 (gate ≥ 0.95),
     * and continued to 300 epochs seed 101 reached 0.997 at epoch 210 and fell to 0.63 by epoch 250. So more epochs
     * do not fix it. At 1e-3 the same five seeds reach 0.981–0.997 in 100 epochs with no collapse. Fixed here before
     * the rerun's fresh seeds (claims.md §0.1).
     */
    static final double SPIRAL_LEARNING_RATE = 1e-3;

    /** Sizes of one plan; the quick plan shrinks data, epochs, seeds and analysis, never the design. */
    record Sizes(String mode, int train, int test, int batch, int epochs, int spiralEpochs, int seeds, int firstSeed,
                 int analysis, int directions, ConditioningImageTask.Sizes images) {}

    static final Sizes QUICK = new Sizes("quick", 512, 512, 64, 20, 50, 2, 0, 64, 16,
            new ConditioningImageTask.Sizes(1024, 512, 128, 2, 64));
    /**
     * Seeds 105–109: fresh, since the report with 2spirals at lr 1e-2 used seeds 100–104 (and the one under the old
     * rules seeds 0–2; claims.md §0.1). The image pair uses all 12000 training and 2000 test images of its two
     * classes, 5 epochs (claims.md §1).
     */
    static final Sizes FULL = new Sizes("full", 2048, 2048, 256, 20, 100, 5, 105, 256, 64,
            new ConditioningImageTask.Sizes(12000, 2000, 128, 5, 256));

    /** Where Fashion-MNIST is read from: null for the usual lookup (datasets.md §3); tests give fixture files. */
    private final java.nio.file.Path fmnistDir;

    public ConditioningStudy() {
        this(null);
    }

    ConditioningStudy(java.nio.file.Path fmnistDir) {
        this.fmnistDir = fmnistDir;
    }

    @Override
    public Study withImageDirs(java.nio.file.Path fmnist, java.nio.file.Path mnist) {
        return new ConditioningStudy(fmnist);
    }

    @Override
    public String name() {
        return "conditioning";
    }

    @Override
    public String title() {
        return "Jacobian norm regularisation and conditioning (Josias & Brink 2022)";
    }

    @Override
    public Plan plan(boolean quick) {
        return plan(quick ? QUICK : FULL);
    }

    static List<String> arms() {
        List<String> arms = new ArrayList<>(List.of(NONE));
        for (double l : LAMBDAS) {
            arms.add(frobenius(l));
        }
        for (double l : LAMBDAS) {
            arms.add(condition(l));
        }
        return arms;
    }

    static String frobenius(double l) {
        return "frobenius λ=" + Markdown.lambda(l);
    }

    static String condition(double l) {
        return "condition λ=" + Markdown.lambda(l);
    }

    static Plan plan(Sizes s) {
        Plan.Builder b = new Plan.Builder(s.firstSeed());
        for (String task : TASKS) {
            add(b, s, task, NONE, NONE, 0);
            for (double l : LAMBDAS) {
                add(b, s, task, frobenius(l), "frobenius", l);
            }
            for (double l : LAMBDAS) {
                add(b, s, task, condition(l), "condition", l);
            }
        }
        List<String> settings = List.of(
                "tasks: disk-annulus, moons (σ = 0.2), 2spirals; train/test " + s.train() + "/" + s.test() + "; epochs "
                        + s.epochs() + " (2spirals " + s.spiralEpochs() + ")",
                "image task fmnist-pair: Fashion-MNIST T-shirt/top (→ 0) vs Shirt (→ 1), train/test "
                        + s.images().train() + "/" + s.images().test() + " of the pair (training images drawn with seed"
                        + " 0, test images the first in file order), pixels/255; linear encoder 784→16, MLP field"
                        + " 16→64→64→16 tanh, linear head, BCE; Adam lr 1e-3, batch " + s.images().batch() + ", "
                        + s.images().epochs() + " epochs; same solver; analysis on the first " + s.images().analysis()
                        + " test images: FGSM/PGD-20 at ε ∈ " + Arrays.toString(ConditioningImageTask.EPS)
                        + " (L∞, pixels clipped to [0, 1]), margins by PGD bisection (L∞, ε_max 0.5, 10 bisections,"
                        + " S 50, margin loss)",
                "model: W1 (augment 1, MLP 3→64→64→3 tanh, linear head, BCE), dopri5 torchdiffeq preset rtol = atol ="
                        + " 1e-3, DIRECT, Adam lr " + LEARNING_RATE + " (2spirals " + SPIRAL_LEARNING_RATE + "), batch "
                        + s.batch(),
                "arms: none; exact Frobenius ∫‖J‖²_F dt and condition number ∫ log κ(J) dt, each at λ ∈ "
                        + Arrays.toString(LAMBDAS) + "; penalty channels out of step control",
                "analysis on the first " + s.analysis() + " test points: κ on the grid t_j = j/10 (median, p90, at"
                        + " t = 1, per-time medians), FGSM and PGD-20 (random start, α = 2.5ε/20) at ε ∈ "
                        + Arrays.toString(EPS) + ", L2 margins by directional search (" + s.directions()
                        + " directions, step 0.05, 20 bisections, r_max = 2·max‖u − ū‖)");
        List<String> departures = new ArrayList<>(List.of(
                "2spirals trains with Adam lr " + SPIRAL_LEARNING_RATE + ", not claims.md's " + LEARNING_RATE + ": at "
                        + LEARNING_RATE + " the unregularised model collapsed and recovered at random (seeds 101 and 103"
                        + " of the previous report ended at 0.748 and 0.779, below the gate's 0.95, and more epochs did"
                        + " not help); at " + SPIRAL_LEARNING_RATE + " those seeds all passed; fixed before this plan's"
                        + " seeds",
                "claims.md gives no baseline quality for the Fashion-MNIST pair; its gate (a) is set here, before any"
                        + " run, at unregularised test accuracy ≥ " + ConditioningClaims.PAIR_BASELINE_ACCURACY
                        + " in every seed (well above the 0.5 of chance)",
                "margins are L2 (directional search) on the 2-D tasks and L∞ (PGD bisection) on the image pair;"
                        + " J6 compares them only within a task",
                "κ, attacks and margins use the first " + s.analysis() + " test points, not the whole test set"
                        + " (evaluation.md §6); margins are taken over the correctly classified among them",
                "the paper trains on image data with its own models; this is the CPU-scaled 2-D design of claims.md"
                        + " §1",
                "the \"exists a λ without a quality cost\" rule (claims.md §0.1) applies the Bonferroni z_m to the"
                        + " quality part as well as to the NFE part (more conservative than correcting the NFE part"
                        + " alone)"));
        if (s.firstSeed() > 0) {
            departures.add(0, "seeds " + s.firstSeed() + "–" + (s.firstSeed() + s.seeds() - 1) + " (evaluation.md"
                    + " §4.3 numbers them from 0; a rerun under changed rules uses fresh seeds, claims.md §0.1)");
        }
        if (s.mode().equals("quick")) {
            departures.add("quick mode: " + s.seeds() + " seeds (claims.md §0.1 asks for ≥ 5), smaller data, fewer"
                    + " epochs and analysis points, " + s.directions() + " margin directions (64 asked)");
        }
        return new Plan(s.mode(), s.seeds(), b.runs(), settings, departures);
    }

    private static void add(Plan.Builder b, Sizes s, String task, String arm, String family, double lambda) {
        if (isImage(task)) {
            ConditioningImageTask.Sizes im = s.images();
            b.add(task, arm, s.seeds(), Plan.config("family", family, "lambda", lambda, "train", im.train(), "test",
                    im.test(), "batch", im.batch(), "epochs", im.epochs(), "analysis", im.analysis()), false);
            return;
        }
        boolean spirals = task.equals("2spirals");
        b.add(task, arm, s.seeds(), Plan.config("family", family, "lambda", lambda, "train", s.train(), "test",
                s.test(), "batch", s.batch(), "epochs", spirals ? s.spiralEpochs() : s.epochs(), "lr",
                spirals ? SPIRAL_LEARNING_RATE : LEARNING_RATE, "analysis", s.analysis(), "directions", s.directions()),
                false);
    }

    @Override
    public List<Claim> claims(Plan plan) {
        return ConditioningClaims.all();
    }

    static LabelledSet[] data(String task, int train, int test) {
        Map<String, Double> opts = task.equals("moons") ? Map.of("noise", 0.2) : Map.of();
        return new LabelledSet[] {Toys2d.labelled(task, train, 0, opts), Toys2d.labelled(task, test, 1, opts)};
    }

    static List<Regulariser> regularisers(Run run) {
        double l = run.num("lambda");
        return switch (run.text("family")) {
            case "frobenius" -> List.of(new JacobianFrobeniusExact(l, Regulariser.Normalisation.SUM));
            case "condition" -> List.of(new ConditionNumber(l, ConditionNumber.Phi.LOG));
            default -> List.of();
        };
    }

    /** The image pair needs Fashion-MNIST installed (datasets.md §3); say so before the 2-D runs take hours. */
    @Override
    public void checkInputs(List<Run> runs) {
        if (runs.stream().anyMatch(r -> isImage(r.task()))) {
            org.neuralode4j.data.FashionMnist.locate(fmnistDir);
        }
    }

    @Override
    public Measurements execute(Run run) {
        boolean image = isImage(run.task());
        LabelledSet[] sets = image ? ConditioningImageTask.data(fmnistDir, run.integer("train"), run.integer("test"))
                : data(run.task(), run.integer("train"), run.integer("test"));
        SolverConfig solver = new SolverOptions().config();
        NodeClassifier model = image ? ConditioningImageTask.model(run.seed())
                : new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(run.seed()));
        TrainConfig cfg = new TrainConfig(run.integer("epochs"), run.integer("batch"),
                image ? ConditioningImageTask.LEARNING_RATE : run.num("lr"), run.seed(), solver, new Direct(),
                regularisers(run), false);
        long t0 = System.nanoTime();
        List<EpochMetrics> history = ClassifierTrainer.train(model, sets[0], cfg, null, null);
        Measurements.Builder m = new Measurements.Builder().put(Measurements.TIMING + "train", (System.nanoTime() - t0) / 1e9);
        m.put("nfe.train", history.get(history.size() - 1).meanNfeForward());
        m.put("nfe.train.epoch", history.stream().mapToDouble(EpochMetrics::meanNfeForward).toArray());
        ClassifierTrainer.Evaluation test = ClassifierTrainer.evaluate(model, sets[1], solver);
        m.put("acc.test", test.accuracy()).put("acc.train", ClassifierTrainer.evaluate(model, sets[0], solver).accuracy())
                .put("nfe.test", test.nfe());
        int n = Math.min(run.integer("analysis"), sets[1].size());
        LabelledSet some = sets[1].rows(java.util.stream.IntStream.range(0, n).toArray());
        conditioning(m, model, some, solver);
        m.put("acc.clean.analysis", ClassifierTrainer.evaluate(model, some, solver).accuracy());
        if (image) {
            ConditioningImageTask.robustness(m, (EncodedNodeClassifier) model, some, solver, run.seed());
            return m.build();
        }
        Function<Tensor, Tensor> logits = x -> model.logits(model.flow(x, solver, new Direct()));
        m.put("attack.fgsm", Fgsm.accuracy(logits, some.x(), some.labels(), EPS, null));
        m.put("attack.pgd", Pgd.accuracy(logits, some.x(), some.labels(), EPS, Rng.seeded(1000 + run.seed()), null));
        margins(m, Margin.directional2d(logits, some.x(), some.labels(), run.integer("directions"), Margin.DEFAULT_STEP,
                rMax(some.x()), 20));
        return m.build();
    }

    /** κ statistics over (sample, time), at t = 1, and the per-time medians of log10 κ (evaluation.md §1.4). */
    private static void conditioning(Measurements.Builder m, NodeClassifier model, LabelledSet some,
                                     SolverConfig solver) {
        ConditioningStats c = Conditioning.along(model.dynamics(), model.initialState(some.x()).detach(), 0, 1, GRID,
                solver);
        double[] kappa = c.kappa();
        int batch = kappa.length / GRID;
        double[] profile = new double[GRID];
        for (int j = 0; j < GRID; j++) {
            profile[j] = median(Arrays.copyOfRange(kappa, j * batch, (j + 1) * batch));
        }
        m.put("kappa.log10.median", c.log10KappaMedian()).put("kappa.log10.p90", c.log10KappaP90())
                .put("kappa.log10.median.t1", profile[GRID - 1]).put("kappa.nonfinite", c.nonFiniteKappa())
                .put("frobenius.mean", c.frobeniusMean()).put("kappa.log10.profile", profile);
    }

    /** Median of log10 κ, with +∞ (singular Jacobians) ranking last (evaluation.md §1.4). */
    private static double median(double[] kappa) {
        double[] l = new double[kappa.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.log10(kappa[i]);
        }
        Arrays.sort(l);
        return ConditioningStats.percentile(l, 50);
    }

    /** evaluation.md §3.2: r_max = max(2·max_b ‖u_b − ū‖₂, 20·s). */
    static double rMax(Tensor x) {
        double[] v = x.toArray();
        int n = x.dim(0);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += v[2 * i] / n;
            my += v[2 * i + 1] / n;
        }
        double far = 0;
        for (int i = 0; i < n; i++) {
            far = Math.max(far, Math.hypot(v[2 * i] - mx, v[2 * i + 1] - my));
        }
        return Math.max(2 * far, 20 * Margin.DEFAULT_STEP);
    }

    /** Mean, median, p10 and min over finite margins of correctly classified points, and the censored count. */
    static void margins(Measurements.Builder m, double[] margins) {
        double[] finite = Arrays.stream(margins).filter(x -> x > 0 && Double.isFinite(x)).sorted().toArray();
        long censored = Arrays.stream(margins).filter(Double::isInfinite).count();
        m.put("margin.n", Arrays.stream(margins).filter(x -> x > 0).count()).put("margin.censored", censored);
        if (finite.length == 0) {
            return;
        }
        m.put("margin.mean", Arrays.stream(finite).average().orElse(Double.NaN))
                .put("margin.median", ConditioningStats.percentile(finite, 50))
                .put("margin.p10", ConditioningStats.percentile(finite, 10)).put("margin.min", finite[0]);
    }

    @Override
    public String tables(Plan plan, Results rs) {
        return ConditioningTables.render(rs);
    }

    @Override
    public void plots(OutputDir out, Plan plan, Results rs) {
        try {
            for (String task : TASKS) {
                Map<String, double[][]> front = new LinkedHashMap<>();
                for (String family : new String[] {"frobenius", "condition"}) {
                    List<ParetoFront.Point> pts = ConditioningTables.front(rs, task, family);
                    front.put(family, new double[][] {pts.stream().mapToDouble(ParetoFront.Point::costMean).toArray(),
                            pts.stream().mapToDouble(ParetoFront.Point::qualityMean).toArray()});
                }
                Plots.lines(out.path("front_" + task + ".png"), task + ": accuracy vs NFE, none then λ ↑ (means)", "test NFE", "test accuracy", front,
                        false);
                Map<String, double[][]> robust = new LinkedHashMap<>();
                Map<String, double[][]> profile = new LinkedHashMap<>();
                double[] grid = Conditioning.grid(0, 1, GRID);
                for (String arm : arms()) {
                    double[] eps = eps(task);
                    double[] y = new double[eps.length + 1];
                    y[0] = Results.mean(rs.values(task, arm, "acc.clean.analysis"));
                    double[] k = new double[GRID];
                    for (int e = 0; e < eps.length; e++) {
                        int ei = e;
                        y[e + 1] = Results.mean(rs.values(task, arm, r -> r.series("attack.pgd")[ei]));
                    }
                    for (int j = 0; j < GRID; j++) {
                        int jj = j;
                        k[j] = Results.mean(rs.values(task, arm, r -> r.series("kappa.log10.profile")[jj]));
                    }
                    double[] x = new double[eps.length + 1];
                    System.arraycopy(eps, 0, x, 1, eps.length);
                    robust.put(arm, new double[][] {x, y});
                    profile.put(arm, new double[][] {grid, k});
                }
                Plots.lines(out.path("robust_accuracy_" + task + ".png"), task + ": PGD-20 accuracy vs ε (L∞)", "ε",
                        "accuracy (mean over seeds)", robust, false, new double[] {0, 1});
                Plots.lines(out.path("kappa_profile_" + task + ".png"), task + ": median log10 κ(J) over test points"
                        + " at each t (mean over seeds)", "t", "median log10 κ", profile, false);
            }
        } catch (IOException e) {
            throw new NeuralOdeException("cannot write the study plots: " + e.getMessage());
        }
    }
}
