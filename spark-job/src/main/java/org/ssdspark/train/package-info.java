/**
 * The training job: synchronous parameter averaging on Spark, driven round by round
 * ({@link org.ssdspark.train.TrainingJob}, {@link org.ssdspark.train.RoundTrainingMaster}), per-epoch shuffles of the
 * raw records ({@link org.ssdspark.train.EpochShuffle}), augmentation and matching on the executors, metrics and
 * checkpoints. Entry point {@link org.ssdspark.train.TrainMain}.
 */
package org.ssdspark.train;
