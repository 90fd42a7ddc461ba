package org.ssdspark.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The running sum of a round's worker results, as DL4J's parameter averaging keeps it: the first result's arrays
 * become the sum and later ones are added in place, so the mean the driver takes is DL4J's to the bit. Travels
 * between executors and the driver as {@link PackedArray}s.
 */
final class RoundSum implements Serializable {

    private static final long serialVersionUID = 1L;

    private transient INDArray params;
    private transient INDArray updaterState;
    private double scoreSum;
    private int results;
    private long weight;

    private RoundSum(INDArray params, INDArray updaterState, double score, int results, long weight) {
        this.params = params;
        this.updaterState = updaterState;
        this.scoreSum = score;
        this.results = results;
        this.weight = weight;
    }

    /** Nothing summed yet: the zero of the round's aggregation. */
    static RoundSum empty() {
        return new RoundSum(null, null, 0, 0, 0);
    }

    /**
     * One worker's result: its own copies of the arrays (the network goes back to the executor's pool), multiplied by
     * {@code weight} (its minibatches) when the round is averaged by weight, else weight 1.
     */
    static RoundSum of(INDArray params, INDArray updaterState, double score, long weight) {
        INDArray p = params.dup();
        INDArray s = updaterState == null ? null : updaterState.dup();
        if (weight != 1) {
            p.muli(weight);
            if (s != null) {
                s.muli(weight);
            }
        }
        return new RoundSum(p, s, score, 1, weight);
    }

    /** This sum with {@code other} added (either may be empty); used as both sequence and combine operation. */
    static RoundSum add(RoundSum a, RoundSum b) {
        if (a.results == 0) {
            return b;
        }
        if (b.results == 0) {
            return a;
        }
        a.params.addi(b.params);
        if (a.updaterState == null) {
            a.updaterState = b.updaterState;
        } else if (b.updaterState != null) {
            a.updaterState.addi(b.updaterState);
        }
        a.scoreSum += b.scoreSum;
        a.results += b.results;
        a.weight += b.weight;
        return a;
    }

    int results() {
        return results;
    }

    /** The summed results' weights: their count for a plain round, their minibatches for a weighted one. */
    long weight() {
        return weight;
    }

    INDArray params() {
        return params;
    }

    INDArray updaterState() {
        return updaterState;
    }

    double scoreSum() {
        return scoreSum;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeObject(params == null ? null : PackedArray.of(params));
        out.writeObject(updaterState == null ? null : PackedArray.of(updaterState));
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        PackedArray p = (PackedArray) in.readObject();
        PackedArray s = (PackedArray) in.readObject();
        params = p == null ? null : p.toArray();
        updaterState = s == null ? null : s.toArray();
    }
}
