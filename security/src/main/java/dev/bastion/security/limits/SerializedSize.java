package dev.bastion.security.limits;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The size in bytes of a value as {@code json} serializes it, counted while it is written instead
 * of by building the bytes: the pipeline measures every result (the size limit, the audit's
 * {@code bytes_out}), and a large result would otherwise be copied into a new array each time.
 */
public final class SerializedSize {

    private SerializedSize() {
    }

    /** @throws IOException as {@link ObjectMapper#writeValue(OutputStream, Object)} for a value it cannot write */
    public static long of(ObjectMapper json, Object value) throws IOException {
        requireNonNull(json, "json is null");
        Counter counter = new Counter();
        json.writeValue(counter, value);
        return counter.count;
    }

    private static final class Counter extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
