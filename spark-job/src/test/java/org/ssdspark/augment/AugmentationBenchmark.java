package org.ssdspark.augment;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.ssdspark.image.EvalPreprocessor;
import org.ssdspark.image.ImageDecoder;
import org.ssdspark.image.JpegImage;
import org.ssdspark.image.RgbImage;
import org.ssdspark.testing.ReferenceFiles;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Images/s of the training augmentation (decode + photometric distortion, expand, crop, mirror, resize to 300x300)
 * and of the evaluation preprocessing (decode + resize) on a VOC-sized 500x375 JPEG, from one calling thread: the
 * median over repetitions, after a warm-up. Not a test (surefire runs only *Test classes); from the repository root:
 *
 * <pre>
 * mvn -q -B -DskipTests test-compile dependency:build-classpath -pl spark-job -am \
 *     -Dmdep.outputFile=$PWD/spark-job/target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp spark-job/target/test-classes:spark-job/target/classes:$(cat spark-job/target/test-classpath.txt) \
 *     org.ssdspark.augment.AugmentationBenchmark [repetitions=7] [imagesPerRepetition=60]
 * </pre>
 */
public final class AugmentationBenchmark {

    private AugmentationBenchmark() {
    }

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        JpegImage jpeg = new JpegImage("synthetic-500x375", jpeg500x375());
        TrainAugmentation augmentation = new TrainAugmentation(300);
        float[][] boxes = {{30, 40, 200, 300}, {250, 100, 480, 360}};
        int[] labels = {1, 2};
        Random rng = new Random(99);
        double train = medianImagesPerSecond(repetitions, images, i -> augmentation.apply(jpeg, boxes, labels, rng));
        EvalPreprocessor eval = new EvalPreprocessor();
        double evaluation = medianImagesPerSecond(repetitions, images, i -> eval.apply(jpeg));
        System.out.printf(Locale.ROOT, "train augmentation (decode + augment, 500x375 JPEG -> 300x300): %.1f images/s"
                + " (median of %d x %d images, one calling thread)%n", train, repetitions, images);
        System.out.printf(Locale.ROOT, "eval preprocessing (decode + resize, 500x375 JPEG): %.1f images/s"
                + " (median of %d x %d images, one calling thread)%n", evaluation, repetitions, images);
    }

    /** One warm-up repetition (JIT, OpenCV's first allocations), then the median rate of {@code repetitions}. */
    static double medianImagesPerSecond(int repetitions, int images, Consumer<Integer> work) {
        for (int i = 0; i < images; i++) {
            work.accept(i);
        }
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < images; i++) {
                work.accept(i);
            }
            rates[r] = images / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        return repetitions % 2 == 1 ? rates[repetitions / 2]
                : (rates[repetitions / 2 - 1] + rates[repetitions / 2]) / 2;
    }

    /** The reference's image 000401, re-encoded at VOC's most common size. */
    private static byte[] jpeg500x375() {
        JpegImage reference = new JpegImage("000401",
                ReferenceFiles.read(ReferenceFiles.dir().resolve("images/000401.jpg")));
        try (RgbImage image = ImageDecoder.decode(reference); Mat resized = new Mat();
             Size size = new Size(500, 375); BytePointer encoded = new BytePointer()) {
            resize(image.mat(), resized, size);
            if (!imencode(".jpg", resized, encoded)) {
                throw new IllegalStateException("OpenCV could not encode the 500x375 JPEG");
            }
            byte[] bytes = new byte[(int) encoded.limit()];
            encoded.get(bytes);
            return bytes;
        }
    }
}
