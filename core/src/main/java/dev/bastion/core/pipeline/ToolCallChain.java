package dev.bastion.core.pipeline;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.tool.ToolResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable tools/call pipeline. Interceptors are ordered by their {@link Stage} (the one place
 * the order is defined); the innermost step calls the tool. Each {@code proceed} hands the call to
 * the next position, as OkHttp's interceptor chain does.
 */
public final class ToolCallChain {

    /** The innermost step: runs the tool itself. */
    @FunctionalInterface
    public interface Terminal {
        ToolResult call(ToolCall call) throws Exception;
    }

    private final List<ToolCallInterceptor> interceptors;

    private ToolCallChain(List<ToolCallInterceptor> interceptors) {
        this.interceptors = interceptors;
    }

    /** Orders {@code interceptors} by stage; two interceptors for one stage are a wiring error. */
    public static ToolCallChain of(Collection<? extends ToolCallInterceptor> interceptors) {
        Map<Stage, ToolCallInterceptor> byStage = new EnumMap<>(Stage.class);
        for (ToolCallInterceptor interceptor : interceptors) {
            ToolCallInterceptor previous = byStage.put(interceptor.stage(), interceptor);
            if (previous != null) {
                throw new IllegalArgumentException("two interceptors for stage " + interceptor.stage() + ": "
                        + previous.getClass().getSimpleName() + " and " + interceptor.getClass().getSimpleName());
            }
        }
        List<ToolCallInterceptor> ordered = new ArrayList<>(byStage.values());
        ordered.sort(Comparator.comparing(ToolCallInterceptor::stage));
        return new ToolCallChain(List.copyOf(ordered));
    }

    public List<Stage> stages() {
        return interceptors.stream().map(ToolCallInterceptor::stage).toList();
    }

    public ToolResult execute(ToolCall call, Terminal terminal) throws Exception {
        requireNonNull(terminal, "terminal is null");
        return new Position(0, terminal).proceed(call);
    }

    private final class Position implements ToolCallInterceptor.Chain {
        private final int index;
        private final Terminal terminal;

        private Position(int index, Terminal terminal) {
            this.index = index;
            this.terminal = terminal;
        }

        @Override
        public ToolResult proceed(ToolCall call) throws Exception {
            if (index == interceptors.size()) {
                return terminal.call(call);
            }
            return interceptors.get(index).intercept(call, new Position(index + 1, terminal));
        }
    }
}
