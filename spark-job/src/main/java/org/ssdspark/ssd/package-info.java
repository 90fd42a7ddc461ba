/**
 * SSD box machinery, mirroring qfgaohao/pytorch-ssd at commit 7a839cb (mb2-ssd-lite): the prior table
 * ({@link org.ssdspark.ssd.SsdSpec}, {@link org.ssdspark.ssd.PriorBoxes}), box coding
 * ({@link org.ssdspark.ssd.BoxCoder}), ground-truth matching ({@link org.ssdspark.ssd.PriorMatcher}),
 * the MultiBox loss as a DL4J loss function ({@link org.ssdspark.ssd.MultiBoxLoss}) and the prediction-side
 * filtering and non-maximum suppression ({@link org.ssdspark.ssd.DetectionPostProcessor}).
 *
 * <p>Boxes travel as flat {@code float[]} arrays of 4 values per box, row-major. Arithmetic that decides
 * matching and suppression is done in float32 in the reference's operation order, so that threshold
 * comparisons land on the same side as PyTorch's.
 */
package org.ssdspark.ssd;
