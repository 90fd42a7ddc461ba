package org.ssdspark.prep.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code _manifest.json} at the output root: what a conversion wrote. Present only once everything was written. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Manifest {
    public static final String FILE_NAME = "_manifest.json";
    public static final String REJECTED_FILE_NAME = "_rejected.jsonl";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @JsonProperty("schema_version")
    public int schemaVersion = ShardSchema.VERSION;
    public String layout;
    public String input;
    public List<String> classes = new ArrayList<>();
    public Map<String, SplitStats> splits = new LinkedHashMap<>();
    public List<Shard> shards = new ArrayList<>();
    @JsonProperty("images_listed")
    public long imagesListed;
    @JsonProperty("images_converted")
    public long imagesConverted;
    /** Rejected images; converted + rejected = listed. */
    public long rejected;
    @JsonProperty("rejected_objects")
    public long rejectedObjects;
    @JsonProperty("clipped_objects")
    public long clippedObjects;
    public List<String> notes = new ArrayList<>();

    /** Counts for one split. */
    public static final class SplitStats implements java.io.Serializable {
        public long images;
        public long objects;
        public long difficult;
        @JsonProperty("jpeg_bytes")
        public long jpegBytes;
        @JsonProperty("objects_per_class")
        public Map<String, Long> objectsPerClass = new LinkedHashMap<>();

        public SplitStats merge(SplitStats o) {
            images += o.images;
            objects += o.objects;
            difficult += o.difficult;
            jpegBytes += o.jpegBytes;
            o.objectsPerClass.forEach((k, v) -> objectsPerClass.merge(k, v, Long::sum));
            return this;
        }

        public void add(ImageRecord r) {
            images++;
            jpegBytes += r.jpeg().length;
            for (RecordObject o : r.objects()) {
                objects++;
                if (o.difficult()) {
                    difficult++;
                }
                objectsPerClass.merge(o.name(), 1L, Long::sum);
            }
        }
    }

    /** One Parquet file: path relative to the output root. */
    public static final class Shard {
        public String path;
        public String split;
        public long records;

        public Shard() {
        }

        public Shard(String path, String split, long records) {
            this.path = path;
            this.split = split;
            this.records = records;
        }
    }

    public void write(FileSystem fs, Path file) throws IOException {
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(JSON.writeValueAsBytes(this));
        }
    }

    public static Manifest read(FileSystem fs, Path root) throws IOException {
        Path file = new Path(root, FILE_NAME);
        if (!fs.exists(file)) {
            throw new org.ssdspark.config.UserInputException("No " + FILE_NAME + " under " + root
                    + ": not a converted data set, or its conversion did not finish");
        }
        try (InputStream in = fs.open(file)) {
            return JSON.readValue(in, Manifest.class);
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            throw new org.ssdspark.config.UserInputException(file + " is corrupt (its checksum does not match): "
                    + e.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new org.ssdspark.config.UserInputException(file + " is not a valid manifest: "
                    + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
