package org.ssdspark.augment;

/**
 * Which source channel each output channel takes ({@code image[:, :, order]}). A permutation moves no
 * value arithmetically and every later op treats channels alike (the expand fill is the same in all
 * three), so it is applied when the output is written instead of moving every pixel of the full image.
 */
record ChannelOrder(int first, int second, int third) {
    static final ChannelOrder IDENTITY = new ChannelOrder(0, 1, 2);

    /** The reference's six permutations, in its order. */
    static final ChannelOrder[] PERMUTATIONS = {
        IDENTITY, new ChannelOrder(0, 2, 1), new ChannelOrder(1, 0, 2),
        new ChannelOrder(1, 2, 0), new ChannelOrder(2, 0, 1), new ChannelOrder(2, 1, 0),
    };

    int source(int outputChannel) {
        return switch (outputChannel) {
            case 0 -> first;
            case 1 -> second;
            case 2 -> third;
            default -> throw new IllegalArgumentException("channel " + outputChannel);
        };
    }
}
