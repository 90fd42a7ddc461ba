package org.ssdspark.eval;

import org.ssdspark.testing.ReferenceFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tie order of {@link NumpyArgsort} against numpy 1.24.2 (Debian's python3-numpy, the reference's version). */
class NumpyArgsortTest {

    @Test
    void matchesNumpyOnTiesAndNaN() {
        double[] allEqual = new double[40];
        assertArrayEquals(new int[] {0, 22, 23, 24, 25, 26, 27, 28, 21, 29, 31, 32, 33, 34, 35, 36, 37, 30, 20, 19,
                18, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 38, 39}, NumpyArgsort.argsort(allEqual));

        double[] threeValues = {2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 0, 2, 2, 0, 1, 2, 0, 2, 0, 1, 2, 0, 1, 0, 2, 0, 2, 1, 1,
                1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 1, 0, 2, 0, 2, 1, 0, 0, 1, 0};
        assertArrayEquals(new int[] {49, 25, 18, 16, 41, 13, 21, 10, 9, 43, 7, 46, 47, 8, 23, 29, 28, 30, 27, 31, 38,
                32, 48, 40, 19, 37, 14, 45, 4, 1, 22, 39, 42, 44, 36, 0, 34, 33, 26, 20, 17, 15, 12, 11, 6, 5, 3, 2,
                35, 24}, NumpyArgsort.argsort(threeValues));

        double n = Double.NaN;
        double[] withNaN = {4, n, 1, n, 3, 1, 3, 1, 0, 0, 2, 1, 1, 4, 4, 4, 2, 0, 3, 3, 4, n, 0, 2, 2, 3, 1, 1, 0, 4};
        assertArrayEquals(new int[] {22, 17, 8, 9, 28, 27, 2, 26, 5, 7, 11, 12, 16, 24, 10, 23, 6, 4, 18, 19, 25, 0,
                14, 20, 15, 13, 29, 3, 1, 21}, NumpyArgsort.argsort(withNaN));
    }

    @Test
    void heapsortFallbackMatchesNumpyHeapsort() {
        double[] v = {0, 0, 0, 0, 2, 1, 0, 0, 1, 1, 0, 2, 2, 1, 2, 1, 0, 0, 0, 2, 0, 1, 0, 2, 0, 1, 2, 1, 2, 2, 2, 2,
                1, 1, 2, 1, 2, 2, 1, 1};
        assertArrayEquals(new int[] {2, 7, 10, 18, 24, 0, 3, 22, 17, 20, 1, 6, 16, 27, 13, 25, 5, 21, 9, 38, 8, 39,
                33, 32, 15, 35, 29, 14, 28, 30, 26, 12, 23, 11, 19, 4, 37, 36, 34, 31}, NumpyArgsort.heapsortOrder(v));
        assertArrayEquals(new int[] {0, 16, 20, 22, 24, 10, 17, 18, 6, 3, 2, 1, 7, 32, 33, 25, 35, 21, 27, 39, 15, 13,
                5, 9, 8, 38, 37, 36, 4, 34, 31, 29, 28, 26, 11, 12, 23, 14, 30, 19}, NumpyArgsort.argsort(v));
    }

    /** np.argsort(-scores) over every reference detection file, as a rolling hash of the order. */
    @Test
    void rankingOfEveryReferenceDetectionFileEqualsNumpys() {
        List<Object[]> expected = List.of(
                new Object[] {"noisy/det_test_circle.txt", 875475032641476252L},
                new Object[] {"noisy/det_test_square.txt", 469628720517191260L},
                new Object[] {"noisy/det_test_star.txt", 1120691776874580413L},
                new Object[] {"noisy/det_test_triangle.txt", 70153890775528841L},
                new Object[] {"perfect/det_test_circle.txt", 1020948569477174654L},
                new Object[] {"perfect/det_test_square.txt", 945027894927267228L},
                new Object[] {"perfect/det_test_star.txt", 950399483702536075L},
                new Object[] {"perfect/det_test_triangle.txt", 945027894927267228L},
                new Object[] {"trained/det_test_circle.txt", 1565526031460565586L},
                new Object[] {"trained/det_test_square.txt", 1636729994498737608L},
                new Object[] {"trained/det_test_star.txt", 91565686411854491L},
                new Object[] {"trained/det_test_triangle.txt", 823431151583432293L});
        Path detections = ReferenceFiles.map().resolve("detections");
        for (Object[] e : expected) {
            double[] scores = new DetectionFileReader().read(detections.resolve((String) e[0])).stream()
                    .mapToDouble(Detection::score).toArray();
            assertEquals((long) e[1], fingerprint(NumpyArgsort.descending(scores)), (String) e[0]);
        }
    }

    @Test
    void sortsLargeRandomInputsCorrectly() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] v = random.doubles(1 + random.nextInt(3000)).map(x -> Math.floor(x * 50)).toArray();
            int[] order = NumpyArgsort.argsort(v);
            assertArrayEquals(IntStream.range(0, v.length).toArray(),
                    Arrays.stream(order).sorted().toArray());
            for (int i = 1; i < order.length; i++) {
                assertTrue(v[order[i - 1]] <= v[order[i]]);
            }
        }
    }

    private static long fingerprint(int[] order) {
        BigInteger modulus = BigInteger.valueOf((1L << 61) - 1);
        BigInteger h = BigInteger.ZERO;
        for (int index : order) {
            h = h.multiply(BigInteger.valueOf(1000003)).add(BigInteger.valueOf(index + 1)).mod(modulus);
        }
        return h.longValueExact();
    }
}
