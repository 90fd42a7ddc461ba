package org.ssdspark.ssd;

import java.util.List;

/**
 * One feature map level of the prior table (the reference's {@code SSDSpec} namedtuple).
 *
 * @param featureMapSize cells per side of the square feature map
 * @param shrinkage      pixels per cell as the reference states it (not always imageSize / featureMapSize:
 *                       the 300 table says 16 for a 19x19 map)
 * @param minSize        side in pixels of the small square prior
 * @param maxSize        with minSize, gives the big square prior's side sqrt(min * max)
 * @param aspectRatios   each ratio r adds two priors of the small size: (w*sqrt r, h/sqrt r) and (w/sqrt r, h*sqrt r)
 */
public record PriorLevel(int featureMapSize, double shrinkage, double minSize, double maxSize,
                         List<Integer> aspectRatios) {

    public PriorLevel {
        aspectRatios = List.copyOf(aspectRatios);
    }

    public int priorsPerLocation() {
        return 2 + 2 * aspectRatios.size();
    }

    public int numPriors() {
        return featureMapSize * featureMapSize * priorsPerLocation();
    }
}
