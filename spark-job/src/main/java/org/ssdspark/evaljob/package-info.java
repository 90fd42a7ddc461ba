/**
 * The batch evaluation job: distributed inference over a test split (shards or a VOC-format folder), the
 * reference's detection files, VOC AP per class and mAP, charts and a report. {@link org.ssdspark.evaljob.EvalMain}
 * runs it for any checkpoint; {@link org.ssdspark.evaljob.EvalJob#run} is the training job's final stage.
 *
 * <p>Flow: the driver loads a {@link org.ssdspark.evaljob.LoadedModel} through {@link org.ssdspark.evaljob.ModelSources}
 * (a training checkpoint folder, a PyTorch .pth, a DL4J .zip) and opens the data ({@link
 * org.ssdspark.evaljob.EvalDatasets}: shards, or a VOC folder converted in memory), broadcasts the model once as a
 * {@link org.ssdspark.evaljob.ModelPayload};
 * executors build graphs from it lazily ({@link org.ssdspark.evaljob.ExecutorModels}), decode, preprocess,
 * run the network and post-process each image ({@link org.ssdspark.evaljob.ImageDetector}); the driver collects
 * the compact per-image results and scores them ({@link org.ssdspark.evaljob.EvalOutputs}).
 */
package org.ssdspark.evaljob;
