package dev.bastion.security.outbound;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

/**
 * Caps response bodies at {@link BackendSpec#maxResponseBytes()}: a larger {@code Content-Length}
 * fails at once, and a body of unknown length (chunked, or decompressed by OkHttp) fails the
 * moment reading passes the limit. The limit applies to the decompressed bytes, so a small gzip
 * bomb cannot fill memory either.
 */
final class ResponseLimitInterceptor implements Interceptor {

    private final String backendName;
    private final long maxBytes;

    ResponseLimitInterceptor(String backendName, long maxBytes) {
        this.backendName = backendName;
        this.maxBytes = maxBytes;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        ResponseBody body = response.body();
        if (body == null || chain.request().method().equals("HEAD")) {
            return response;
        }
        long declared = body.contentLength();
        if (declared > maxBytes) {
            response.close();
            throw new ResponseTooLargeException(backendName, maxBytes, declared);
        }
        return response.newBuilder().body(new ObservedResponseBody(body, LimitedSource::new)).build();
    }

    private final class LimitedSource extends ForwardingSource {
        private final Buffer chunk = new Buffer();
        private long total;

        LimitedSource(Source delegate) {
            super(delegate);
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            // Read into a private buffer first so not one byte past the limit reaches the caller.
            long read = super.read(chunk, byteCount);
            if (read > 0) {
                total += read;
                if (total > maxBytes) {
                    chunk.clear();
                    throw new ResponseTooLargeException(backendName, maxBytes, -1);
                }
                sink.write(chunk, read);
            }
            return read;
        }
    }
}
