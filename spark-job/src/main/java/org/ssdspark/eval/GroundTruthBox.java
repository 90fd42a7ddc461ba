package org.ssdspark.eval;

/**
 * One annotated object: image, class name, box in pixels 0-based, and the VOC "difficult" flag.
 * Difficult objects are neither counted as positives nor penalise a detection that hits them.
 */
public record GroundTruthBox(String imageId, String className,
                             double xmin, double ymin, double xmax, double ymax, boolean difficult) {

    /**
     * From coordinates as written in a VOC XML file (1-based, Matlab style). Subtracts 1 the way the
     * reference's VOCDataset does: in double, then rounded to float32 where the reference stores them.
     */
    public static GroundTruthBox fromVocCoordinates(String imageId, String className, double xmin, double ymin,
                                                    double xmax, double ymax, boolean difficult) {
        return new GroundTruthBox(imageId, className, (float) (xmin - 1), (float) (ymin - 1),
                (float) (xmax - 1), (float) (ymax - 1), difficult);
    }
}
