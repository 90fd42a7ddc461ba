package org.ssdspark.torch;

import java.util.Collections;
import java.util.List;

/** An immutable Python tuple; may hold None as null, which List.of cannot. */
record PyTuple(List<Object> items) {

    PyTuple {
        items = Collections.unmodifiableList(items);
    }

    Object get(int i) {
        return items.get(i);
    }

    int size() {
        return items.size();
    }
}
