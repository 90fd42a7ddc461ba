package org.ssdspark.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The channel plan of the reference MobileNetV2 {@code features} (19 modules: a 3x3 stem, 17 inverted
 * residuals, a 1x1 to the last channel) and of the four SSD-Lite extras, for a width multiplier.
 */
public final class MobileNetV2Plan {

    /** Module of {@code features} whose expansion output feeds the first head ({@code GraphPath(14, 'conv', 3)}). */
    public static final int FIRST_SOURCE_BLOCK = 14;
    private static final int REFERENCE_FIRST_SOURCE_CHANNELS = 576;
    private static final int STEM_CHANNELS = 32;
    private static final int LAST_CHANNELS = 1280;
    // t (expansion), c (output channels), n (repeats), s (stride of the first repeat)
    private static final int[][] SETTINGS = {
            {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private final int stemChannels;
    private final List<InvertedResidualSpec> blocks;
    private final int lastChannels;
    private final List<InvertedResidualSpec> extras;

    private MobileNetV2Plan(int stemChannels, List<InvertedResidualSpec> blocks, int lastChannels,
                            List<InvertedResidualSpec> extras) {
        this.stemChannels = stemChannels;
        this.blocks = List.copyOf(blocks);
        this.lastChannels = lastChannels;
        this.extras = List.copyOf(extras);
    }

    public static MobileNetV2Plan of(double widthMultiplier) {
        int stem = (int) (STEM_CHANNELS * widthMultiplier);
        List<InvertedResidualSpec> blocks = new ArrayList<>();
        int in = stem;
        for (int[] s : SETTINGS) {
            int out = (int) (s[1] * widthMultiplier);
            for (int i = 0; i < s[2]; i++) {
                blocks.add(new InvertedResidualSpec(in, out, i == 0 ? s[3] : 1, s[0]));
                in = out;
            }
        }
        int last = widthMultiplier > 1.0 ? (int) (LAST_CHANNELS * widthMultiplier) : LAST_CHANNELS;
        List<InvertedResidualSpec> extras = List.of(
                new InvertedResidualSpec(LAST_CHANNELS, 512, 2, 0.2),
                new InvertedResidualSpec(512, 256, 2, 0.25),
                new InvertedResidualSpec(256, 256, 2, 0.5),
                new InvertedResidualSpec(256, 64, 2, 0.25));
        MobileNetV2Plan plan = new MobileNetV2Plan(stem, blocks, last, extras);
        plan.checkBuildableByReference(widthMultiplier);
        return plan;
    }

    /**
     * The reference hard-codes the first head's input as round(576 * w) and the extras' input as 1280; for other
     * widths its network fails at the first forward pass, so there is no reference to be exact to.
     */
    private void checkBuildableByReference(double widthMultiplier) {
        int declared = (int) Math.rint(REFERENCE_FIRST_SOURCE_CHANNELS * widthMultiplier);
        if (declared != firstSourceChannels()) {
            throw new IllegalArgumentException("width multiplier " + widthMultiplier + ": block " + FIRST_SOURCE_BLOCK
                    + " expands to " + firstSourceChannels() + " channels but the reference's heads expect " + declared);
        }
        if (lastChannels != LAST_CHANNELS) {
            throw new IllegalArgumentException("width multiplier " + widthMultiplier + " > 1 gives " + lastChannels
                    + " last channels; the reference's extras take " + LAST_CHANNELS);
        }
    }

    public int stemChannels() {
        return stemChannels;
    }

    /** Inverted residuals; element i is module {@code features[i + 1]}. */
    public List<InvertedResidualSpec> blocks() {
        return blocks;
    }

    public int lastChannels() {
        return lastChannels;
    }

    public List<InvertedResidualSpec> extras() {
        return extras;
    }

    public int firstSourceChannels() {
        return blocks.get(FIRST_SOURCE_BLOCK - 1).hidden();
    }

    /** Channels of the six head inputs. */
    public int[] headInputChannels() {
        int[] channels = new int[2 + extras.size()];
        channels[0] = firstSourceChannels();
        channels[1] = lastChannels;
        for (int i = 0; i < extras.size(); i++) {
            channels[2 + i] = extras.get(i).out();
        }
        return channels;
    }

    /** Index of the last {@code features} module (the 1x1 to the last channel). */
    public int lastModuleIndex() {
        return blocks.size() + 1;
    }
}
