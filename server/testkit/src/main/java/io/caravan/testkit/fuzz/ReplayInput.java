package io.caravan.testkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * A {@link FuzzedDataProvider} over a kept input, outside Jazzer (whose own provider needs its agent): the
 * methods the targets call, read as libFuzzer's FuzzedDataProvider reads them (integers from the end of the
 * input, the lowest-addressed byte least significant, reduced modulo the range; bytes from the front). Any
 * other method throws, so a target that starts to use one fails here first.
 */
public final class ReplayInput {
    private final byte[] data;
    private int front;
    private int end;

    private ReplayInput(byte[] data) {
        this.data = data;
        this.end = data.length;
    }

    public static FuzzedDataProvider of(byte[] data) {
        ReplayInput r = new ReplayInput(data);
        return (FuzzedDataProvider) Proxy.newProxyInstance(FuzzedDataProvider.class.getClassLoader(),
                new Class<?>[] {FuzzedDataProvider.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "remainingBytes" -> r.end - r.front;
                    case "consumeBytes" -> r.bytes((Integer) args[0]);
                    case "consumeRemainingAsBytes" -> r.bytes(r.end - r.front);
                    case "consumeBoolean" -> (r.integral(0, 255) & 1) == 1;
                    case "consumeInt" -> args == null ? (int) r.integral(Integer.MIN_VALUE, Integer.MAX_VALUE)
                            : (int) r.integral((Integer) args[0], (Integer) args[1]);
                    case "consumeLong" -> args == null ? r.integral(Long.MIN_VALUE, Long.MAX_VALUE)
                            : r.integral((Long) args[0], (Long) args[1]);
                    default -> throw new UnsupportedOperationException("ReplayInput does not read " + method);
                });
    }

    private byte[] bytes(int max) {
        int n = Math.max(0, Math.min(max, end - front));
        byte[] out = Arrays.copyOfRange(data, front, front + n);
        front += n;
        return out;
    }

    /** libFuzzer's ConsumeIntegralInRange. */
    private long integral(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        long range = max - min;
        long result = 0;
        int offset = 0;
        while (offset < 64 && (range >>> offset) != 0 && end > front) {
            result = (result << 8) | (data[--end] & 0xFF);
            offset += 8;
        }
        if (range != -1L) {
            result = Long.remainderUnsigned(result, range + 1);
        }
        return min + result;
    }
}
