package org.ssdspark.detectjob;

/** What a detection run did, for the console and tests. */
record DetectSummary(long images, long detections, long failures, long skippedFiles, int drawn, double imagesPerSecond,
                     String output) {
}
