package io.caravan.skydive.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Authorizes each S3 request to IBM COS with an IAM bearer token ({@code Authorization: Bearer}),
 * as IBM's SDK does with an api key. The client runs with anonymous credentials, so nothing else
 * signs the request. A token that cannot be had fails the request (and the store retries it).
 */
final class IbmIamInterceptor implements ExecutionInterceptor {
    private final IbmIamTokens tokens;

    IbmIamInterceptor(IbmIamTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        try {
            return context.httpRequest().toBuilder().putHeader("Authorization", "Bearer " + tokens.token()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
