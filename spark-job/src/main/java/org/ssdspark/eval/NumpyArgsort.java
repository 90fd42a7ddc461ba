package org.ssdspark.eval;

/**
 * numpy 1.24's default {@code np.argsort} (kind "quicksort": an introsort, median-of-three partitions,
 * insertion sort below 16 elements, heapsort past a depth of 2*floor(log2 n)) for float64 arrays.
 *
 * <p>It is not stable, and the reference ranks detections with {@code np.argsort(-scores)}: the order among
 * tied scores decides which of two equal-score detections takes a ground truth box, and whether a
 * difficult object is ranked first. Matching that order makes our AP equal the reference's on ties too.
 */
public final class NumpyArgsort {
    private static final int SMALL_PARTITION = 15;

    private NumpyArgsort() {
    }

    /** Indices that sort {@code values} ascending, NaN last, in numpy 1.24's order among equal values. */
    public static int[] argsort(double[] values) {
        int n = values.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n > 1) {
            introsort(values, order);
        }
        return order;
    }

    /** Indices of {@code scores} from highest to lowest, as {@code np.argsort(-scores)} gives them. */
    public static int[] descending(double[] scores) {
        double[] negated = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            negated[i] = -scores[i];
        }
        return argsort(negated);
    }

    /** numpy's {@code kind="heapsort"} order, the introsort's fallback; exposed so tests can pin it down. */
    static int[] heapsortOrder(double[] values) {
        int[] order = new int[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        heapsort(values, order, 0, order.length);
        return order;
    }

    // numpy's float "less": NaN compares greater than every number.
    private static boolean less(double a, double b) {
        return a < b || (b != b && a == a);
    }

    private static void introsort(double[] v, int[] a) {
        // explicit stack of pending partitions (lo, hi, depth), the larger side is deferred
        int[] stack = new int[3 * 64];
        int top = 0;
        int lo = 0;
        int hi = a.length - 1;
        int depth = 2 * (31 - Integer.numberOfLeadingZeros(a.length));
        while (true) {
            if (depth < 0) {
                heapsort(v, a, lo, hi - lo + 1);
            } else {
                while (hi - lo > SMALL_PARTITION) {
                    int mid = lo + ((hi - lo) >> 1);
                    if (less(v[a[mid]], v[a[lo]])) {
                        swap(a, mid, lo);
                    }
                    if (less(v[a[hi]], v[a[mid]])) {
                        swap(a, hi, mid);
                    }
                    if (less(v[a[mid]], v[a[lo]])) {
                        swap(a, mid, lo);
                    }
                    double pivot = v[a[mid]];
                    int i = lo;
                    int j = hi - 1;
                    swap(a, mid, j);
                    while (true) {
                        do {
                            i++;
                        } while (less(v[a[i]], pivot));
                        do {
                            j--;
                        } while (less(pivot, v[a[j]]));
                        if (i >= j) {
                            break;
                        }
                        swap(a, i, j);
                    }
                    swap(a, i, hi - 1);
                    depth--;
                    if (i - lo < hi - i) {
                        stack[top++] = i + 1;
                        stack[top++] = hi;
                        hi = i - 1;
                    } else {
                        stack[top++] = lo;
                        stack[top++] = i - 1;
                        lo = i + 1;
                    }
                    stack[top++] = depth;
                }
                insertionSort(v, a, lo, hi);
            }
            if (top == 0) {
                return;
            }
            depth = stack[--top];
            hi = stack[--top];
            lo = stack[--top];
        }
    }

    private static void insertionSort(double[] v, int[] a, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            int moving = a[i];
            double value = v[moving];
            int j = i;
            while (j > lo && less(value, v[a[j - 1]])) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = moving;
        }
    }

    /** numpy's heapsort on a[from .. from+n-1], with its 1-based heap layout. */
    private static void heapsort(double[] v, int[] a, int from, int n) {
        int base = from - 1;
        for (int l = n >> 1; l > 0; l--) {
            siftDown(v, a, base, l, n, a[base + l]);
        }
        for (int size = n; size > 1; ) {
            int last = a[base + size];
            a[base + size] = a[base + 1];
            size--;
            siftDown(v, a, base, 1, size, last);
        }
    }

    private static void siftDown(double[] v, int[] a, int base, int start, int size, int moving) {
        int i = start;
        int j = start << 1;
        while (j <= size) {
            if (j < size && less(v[a[base + j]], v[a[base + j + 1]])) {
                j++;
            }
            if (!less(v[moving], v[a[base + j]])) {
                break;
            }
            a[base + i] = a[base + j];
            i = j;
            j += j;
        }
        a[base + i] = moving;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
