package dev.bastion.security.outbound;

import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each attempt at {@code DEBUG} once its body is done (read to the end or closed): method,
 * URL with secret query values masked, status, time to the response headers and the body bytes
 * read. {@code TRACE} adds the request headers, with the values of credential and cookie headers
 * masked. Every line passes through the redactor as well.
 */
final class RequestLogInterceptor implements Interceptor {

    static final Logger LOG = LoggerFactory.getLogger(RequestLogInterceptor.class);

    private final String backendName;
    private final Redactor redactor;

    RequestLogInterceptor(String backendName, Redactor redactor) {
        this.backendName = backendName;
        this.redactor = redactor;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!LOG.isDebugEnabled()) {
            return chain.proceed(request);
        }
        String target = request.method() + " " + SensitiveValues.maskedUrl(request.url());
        if (LOG.isTraceEnabled()) {
            LOG.trace("{}", redactor.redact(backendName + ": " + target + " headers " + maskedHeaders(request)));
        }
        long started = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.debug("{}", redactor.redact(backendName + ": " + target + " failed after " + millis + " ms: "
                    + BackendErrors.describe(e, backendName)));
            throw e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String outcome = backendName + ": " + target + " -> " + response.code() + " in " + millis + " ms";
        ResponseBody body = response.body();
        if (body == null) {
            LOG.debug("{}", redactor.redact(outcome));
            return response;
        }
        return response.newBuilder()
                .body(new ObservedResponseBody(body, source -> new CountingSource(source, outcome)))
                .build();
    }

    private static String maskedHeaders(Request request) {
        CredentialsInterceptor.CredentialHeaders credentialHeaders =
                request.tag(CredentialsInterceptor.CredentialHeaders.class);
        Set<String> credentialNames = credentialHeaders == null ? Set.of() : credentialHeaders.names();
        Headers headers = request.headers();
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            boolean secret = SensitiveValues.isSensitiveHeader(name)
                    || credentialNames.stream().anyMatch(name::equalsIgnoreCase);
            text.append(i == 0 ? "" : ", ").append(name).append(": ")
                    .append(secret ? SensitiveValues.MASK : headers.value(i));
        }
        return text.append('}').toString();
    }

    private final class CountingSource extends ForwardingSource {
        private final String outcome;
        private final AtomicBoolean logged = new AtomicBoolean();
        private long bytes;

        CountingSource(Source delegate, String outcome) {
            super(delegate);
            this.outcome = outcome;
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            long read;
            try {
                read = super.read(sink, byteCount);
            } catch (IOException e) {
                logOnce(", body failed after " + bytes + " bytes: " + BackendErrors.describe(e, backendName));
                throw e;
            }
            if (read == -1) {
                logOnce(", " + bytes + " bytes");
            } else {
                bytes += read;
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            logOnce(", " + bytes + " bytes read before close");
            super.close();
        }

        private void logOnce(String detail) {
            if (logged.compareAndSet(false, true)) {
                LOG.debug("{}", redactor.redact(outcome + detail));
            }
        }
    }
}
