/**
 * The reference's optimiser for DL4J: PyTorch's heavy-ball SGD ({@link org.ssdspark.train.optim.SgdMomentum}),
 * its weight decay on every learned parameter (DL4J L2 plus
 * {@link org.ssdspark.nn.WeightDecayedBatchNormalization}), and its per-epoch learning-rate
 * schedules ({@link org.ssdspark.train.optim.CosineAnnealingSchedule},
 * {@link org.ssdspark.train.optim.MultiStepSchedule}) as the reference training loops step them.
 */
package org.ssdspark.train.optim;
