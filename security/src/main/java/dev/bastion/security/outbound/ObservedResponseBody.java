package dev.bastion.security.outbound;

import java.io.IOException;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;

/** A response body whose source is wrapped (to count or limit the bytes read). */
final class ObservedResponseBody extends ResponseBody {

    private final ResponseBody delegate;
    private final BufferedSource source;

    ObservedResponseBody(ResponseBody delegate, UnaryOperator<Source> wrapper) {
        this.delegate = delegate;
        this.source = Okio.buffer(wrapper.apply(delegate.source()));
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public BufferedSource source() {
        return source;
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            // Closing releases the connection; a failure to close has nothing left to report.
        }
        delegate.close();
    }
}
