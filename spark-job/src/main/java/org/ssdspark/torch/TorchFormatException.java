package org.ssdspark.torch;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as a PyTorch state_dict; the message always names the file. */
public class TorchFormatException extends IOException {

    public TorchFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public TorchFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
