package org.rnnlab.bench.peers;

import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.bench.CellTiming;
import org.rnnlab.bench.ProcessMemory;

/**
 * Deeplearning4j's LSTM or SimpleRnn, one layer over a whole sequence, forward and backward, timed by the rule of
 * {@code rnnlab bench} ({@link CellTiming#time}: warmed up until successive medians agree, then the median of
 * the timed passes). One configuration per JVM; prints one JSON line.
 *
 * <p>The loss is the sum of the layer's outputs, as in {@code benchmarks/pytorch/compare.py}: an L1 loss against
 * labels of -10 is {@code Σ (a + 10)} for outputs {@code a} in (-1, 1), so its gradient with respect to every
 * output is exactly 1. {@link MultiLayerNetwork#calculateGradients} runs the forward pass and the backward pass
 * (parameter gradients and the input's gradient) without an update.
 *
 * <pre>
 * mvn -B -ntp -Ppeers -pl benchmarks -am package -DskipTests
 * OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT-peers.jar:$(cat benchmarks/target/peers.classpath) \
 *     org.rnnlab.bench.peers.Dl4jPeer --cell lstm --batch 64 --steps 50 --input 512 --hidden 512 --dtype double
 * </pre>
 *
 * Threads: ND4J's native operations and OpenBLAS take their thread count from {@code OMP_NUM_THREADS} (and
 * {@code OPENBLAS_NUM_THREADS}) when the JVM starts; {@code --threads} sets the same counts from within as well.
 */
public final class Dl4jPeer {
    private Dl4jPeer() {
    }

    /**
     * Runs one configuration and prints its JSON line.
     *
     * @param args {@code --cell lstm|rnn --batch M --steps T --input N_X --hidden N_A --dtype double|float
     *             [--threads N] [--seconds S] [--max-warmup S]}
     */
    public static void main(String[] args) {
        String cell = "lstm";
        String dtype = "double";
        int batch = 32;
        int steps = 50;
        int input = 64;
        int hidden = 128;
        int threads = 1;
        double seconds = 2;
        double maxWarmup = 30;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--cell" -> cell = v;
                case "--dtype" -> dtype = v;
                case "--batch" -> batch = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--input" -> input = Integer.parseInt(v);
                case "--hidden" -> hidden = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--max-warmup" -> maxWarmup = Double.parseDouble(v);
                default -> usage("unknown option " + a);
            }
        }
        if (!cell.equals("lstm") && !cell.equals("rnn")) {
            usage("--cell " + cell + ": Deeplearning4j has lstm and rnn (SimpleRnn) here; it has no GRU layer");
        }
        if (!dtype.equals("double") && !dtype.equals("float")) {
            usage("--dtype " + dtype + ": give double or float");
        }
        DataType type = dtype.equals("double") ? DataType.DOUBLE : DataType.FLOAT;
        Nd4j.setDefaultDataTypes(type, type);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(type)
                .seed(1)
                .weightInit(WeightInit.XAVIER)
                .updater(new NoOp())
                .list()
                .layer(cell.equals("lstm")
                        ? new LSTM.Builder().nIn(input).nOut(hidden).activation(Activation.TANH).build()
                        : new SimpleRnn.Builder().nIn(input).nOut(hidden).activation(Activation.TANH).build())
                .layer(new RnnLossLayer.Builder(LossFunctions.LossFunction.L1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.randn(type, batch, input, steps);               // [m, n_x, T]: DL4J's NCW layout
        INDArray labels = Nd4j.valueArrayOf(new long[] {batch, hidden, steps}, -10.0, type);
        Runnable pass = () -> net.calculateGradients(x, labels, null, null);

        CellTiming.Timing t = CellTiming.time(pass, maxWarmup, seconds, 5);
        double gflops = CellTiming.flops(cell, batch, steps, input, hidden, true) / (t.ms() * 1e6);
        long heap = ProcessMemory.liveHeapBytes(new Object[] {net, x, labels});
        System.out.println(String.format(Locale.ROOT,
                "{\"peer\":\"dl4j\",\"version\":\"%s\",\"cell\":\"%s\",\"dtype\":\"%s\",\"batch\":%d,\"steps\":%d,"
                        + "\"input\":%d,\"hidden\":%d,\"threads\":%d,\"ms\":%.6f,\"cpuMs\":%.6f,\"gflops\":%.4f,\"repeats\":%d,"
                        + "\"warmupSeconds\":%.3f,\"warmupSettled\":%b,\"heapBytes\":%d,\"peakRssBytes\":%d,\"backend\":\"%s\"}",
                version(), cell, dtype, batch, steps, input, hidden, threads, t.ms(), t.cpuMs(), gflops, t.repeats(),
                t.warmupSeconds(), t.settled(), heap, ProcessMemory.peakResidentBytes(),
                Nd4j.getBackend().getClass().getSimpleName()));
        System.exit(0);
    }

    /** @return the Deeplearning4j version on the class path, or "?" */
    private static String version() {
        Package p = MultiLayerNetwork.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "?" : v;
    }

    private static void usage(String what) {
        System.err.println("Dl4jPeer: " + what + "\n  usage: --cell lstm|rnn --batch M --steps T --input N_X --hidden N_A "
                + "--dtype double|float [--threads N] [--seconds S] [--max-warmup S]");
        System.exit(2);
    }
}
