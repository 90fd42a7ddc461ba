package org.ssdspark.model;

import java.util.List;

/** A state_dict does not fit the graph; every offending tensor is named, nothing has been written to the graph. */
public class StateDictMismatchException extends IllegalArgumentException {

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> misshaped;

    public StateDictMismatchException(List<String> missing, List<String> unexpected, List<String> misshaped) {
        super(message(missing, unexpected, misshaped));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.misshaped = List.copyOf(misshaped);
    }

    private static String message(List<String> missing, List<String> unexpected, List<String> misshaped) {
        StringBuilder sb = new StringBuilder("state_dict does not match the network:");
        if (!missing.isEmpty()) {
            sb.append("\n  missing (").append(missing.size()).append("): ").append(String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            sb.append("\n  unexpected (").append(unexpected.size()).append("): ").append(String.join(", ", unexpected));
        }
        if (!misshaped.isEmpty()) {
            sb.append("\n  wrong shape (").append(misshaped.size()).append("): ").append(String.join(", ", misshaped));
        }
        return sb.toString();
    }

    /** Keys the network needs that the state_dict lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Keys of the state_dict that the network has no place for ({@code num_batches_tracked} never counts). */
    public List<String> unexpected() {
        return unexpected;
    }

    /** Entries "key: got [..], expected [..]". */
    public List<String> misshaped() {
        return misshaped;
    }
}
