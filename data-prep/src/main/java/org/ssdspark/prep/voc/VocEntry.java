package org.ssdspark.prep.voc;

import java.io.Serializable;

/**
 * One image listed for conversion: the VOC folder holding it (a Hadoop path string), the source name
 * (VOC2007, VOC2012, or the folder's name), the output split and the image id.
 */
public record VocEntry(String folder, String source, String split, String id) implements Serializable {

    public String annotationPath() {
        return folder + "/Annotations/" + id + ".xml";
    }

    public String imagePath() {
        return folder + "/JPEGImages/" + id + ".jpg";
    }
}
