package org.ssdspark.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Sequential reader over a stream of known length. Every length read from the file is checked against the bytes
 * that remain, so a corrupt length field gives a clear error instead of a huge allocation.
 */
final class ByteCursor {
    private final InputStream in;
    private final long length;
    private final Path file;
    private final String part;
    private long position;

    /** @param part what is being read, for messages (e.g. "data.pkl"); the whole file when null */
    ByteCursor(InputStream in, long length, Path file, String part) {
        this.in = in;
        this.length = length;
        this.file = file;
        this.part = part;
    }

    long position() {
        return position;
    }

    long remaining() {
        return length - position;
    }

    Path file() {
        return file;
    }

    /** "offset 123" or "offset 123 of data.pkl", for messages. */
    String where(long offset) {
        return part == null ? "offset " + offset : "offset " + offset + " of " + part;
    }

    TorchFormatException error(String problem) {
        return new TorchFormatException(file, problem);
    }

    int u1() throws IOException {
        if (position >= length) {
            throw truncated(1);
        }
        int b = in.read();
        if (b < 0) {
            throw truncated(1);
        }
        position++;
        return b;
    }

    byte[] bytes(long n) throws IOException {
        if (n < 0 || n > remaining() || n > Integer.MAX_VALUE - 8) {
            throw truncated(n);
        }
        byte[] out = in.readNBytes((int) n);
        if (out.length != n) {
            throw truncated(n);
        }
        position += n;
        return out;
    }

    int int32() throws IOException {
        return ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    long int64(ByteOrder order) throws IOException {
        return ByteBuffer.wrap(bytes(8)).order(order).getLong();
    }

    /** A newline-terminated ASCII line as the text opcodes (GLOBAL) use, without the newline. */
    String line(int maxLength) throws IOException {
        long start = position;
        StringBuilder sb = new StringBuilder();
        for (int b = u1(); b != '\n'; b = u1()) {
            if (sb.length() >= maxLength || b < 0x20 || b > 0x7e) {
                throw error("malformed text argument at " + where(start));
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    private TorchFormatException truncated(long wanted) {
        return error("truncated: needed " + wanted + " bytes at " + where(position) + " but only "
                + Math.max(0, remaining()) + " remain");
    }
}
