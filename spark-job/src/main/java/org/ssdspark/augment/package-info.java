/**
 * Training augmentation, op for op as the reference's TrainAugmentation
 * (qfgaohao/pytorch-ssd 7a839cb, vision/transforms/transforms.py); entry point
 * {@link org.ssdspark.augment.TrainAugmentation}.
 */
package org.ssdspark.augment;
