package org.ssdspark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code metrics.jsonl} in the checkpoint folder: one JSON object per line ({@code type}: run, device, round,
 * epoch, validation, checkpoint), flushed line by line so a running job can be followed. A resumed run keeps the
 * earlier lines (every line carries its run's id).
 */
final class MetricsLog implements Closeable {

    static final String FILE_NAME = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FSDataOutputStream out;
    private final String runId;

    MetricsLog(Path folder, Configuration conf, String runId) throws IOException {
        this.runId = runId;
        FileSystem fs = folder.getFileSystem(conf);
        fs.mkdirs(folder);
        Path file = new Path(folder, FILE_NAME);
        byte[] earlier = new byte[0];
        if (fs.exists(file)) {
            // Not every Hadoop filesystem appends (the local checksummed one does not): rewrite, then keep the stream.
            try (InputStream in = fs.open(file)) {
                earlier = in.readAllBytes();
            }
        }
        out = fs.create(file, true);
        out.write(earlier);
        out.hflush();
    }

    ObjectNode line(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("run", runId);
        n.put("time", Instant.now().toString());
        return n;
    }

    synchronized void write(ObjectNode line) {
        try {
            out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            out.hflush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
