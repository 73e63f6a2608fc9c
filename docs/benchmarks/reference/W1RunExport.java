import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.neuralode4j.models.*;
import org.neuralode4j.nn.Parameter;
import org.neuralode4j.nn.optim.Adam;
import org.neuralode4j.regularize.*;
import org.neuralode4j.tensor.*;
import org.neuralode4j.data.*;
import org.neuralode4j.train.BatchStep;
import org.neuralode4j.sensitivity.Direct;
import org.neuralode4j.bench.workloads.W1Classify2d;

/**
 * W1 direct/rnode (workloads.md §1) on the library, exporting its initial weights, training data, batch order and
 * every iteration's ε with the loss and forward NFE of each iteration, for replay.py to repeat in PyTorch.
 *
 * <pre>
 *   ./mvnw -q -B -DskipTests -pl bench -am package
 *   javac -cp bench/target/neuralode4j-bench.jar -d /tmp/w1x docs/benchmarks/reference/W1RunExport.java
 *   java --add-modules jdk.incubator.vector -cp bench/target/neuralode4j-bench.jar:/tmp/w1x W1RunExport f64 0 run0.json
 * </pre>
 */
public class W1RunExport {
  public static void main(String[] a) throws Exception {
    DType dt = DType.parse(a[0]);
    long seed = Long.parseLong(a[1]);
    AugmentedNodeClassifier m = new AugmentedNodeClassifier(ClassifierSpec.w1(), Rng.seeded(seed), dt);
    LabelledSet train = Toys2d.diskAnnulus(2048, 0);
    List<Regulariser> regs = List.of(new KineticEnergy(0.01, Regulariser.Normalisation.SUM), JacobianFrobenius.hutchinson(0.01));
    Rng noise = Rng.seeded(seed + 200);
    Rng order = Rng.seeded(seed + 100);
    Adam adam = new Adam(1e-2);
    Map<String, Object> out = new LinkedHashMap<>();
    List<Parameter> ps = m.parameters();
    for (Parameter p : ps) out.put("w." + p.name(), p.value().toArray());
    out.put("x", train.x().toArray());
    out.put("y", train.binaryTargets().toArray());
    List<int[]> perms = new ArrayList<>(); List<double[]> eps = new ArrayList<>();
    List<Double> losses = new ArrayList<>(); List<Long> nfes = new ArrayList<>();
    for (int e = 0; e < 20; e++) {
      int[] perm = order.permutation(2048); perms.add(perm);
      for (int s = 0; s + 256 <= 2048; s += 256) {
        LabelledSet b = train.rows(Arrays.copyOfRange(perm, s, s + 256));
        RegularisedDynamics rd = m.regularised(regs, 256, noise, RegularisedDynamics.ChannelScope.PER_SAMPLE);
        eps.add(rd.noise().toArray());
        BatchStep.Result r = BatchStep.run(m, b, W1Classify2d.SOLVER, new Direct(), rd);
        adam.step(ps, r.grads());
        losses.add(r.loss()); nfes.add(r.nfeForward());
      }
      System.out.printf("epoch %2d: fwd %.2f loss %.5f%n", e + 1, nfes.subList(nfes.size() - 8, nfes.size()).stream().mapToLong(Long::longValue).average().orElse(0), losses.get(losses.size() - 1));
    }
    out.put("perms", perms); out.put("eps", eps); out.put("loss", losses); out.put("nfe", nfes);
    new ObjectMapper().writeValue(Path.of(a[2]).toFile(), out);
  }
}
