package io.liteboxd.common.kubernetes;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.auth.ApiKeyAuth;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Watches must not time out on the client side, so informers get their own {@link ApiClient}:
 * the one micronaut-kubernetes builds (KUBECONFIG or in-cluster; its TLS and auth live in the
 * HTTP client) with the read timeout removed. One {@link SharedInformerFactory} per process.
 */
@Factory
public class InformerClientFactory {

    public static final String INFORMER = "informer";

    /** Secondary: everything that asks for a plain ApiClient still gets micronaut-kubernetes' own. */
    @Singleton
    @Secondary
    @Named(INFORMER)
    ApiClient informerApiClient(ApiClient apiClient) {
        ApiClient informer = new ApiClient(apiClient.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
        informer.setBasePath(apiClient.getBasePath());
        // Client certificates and in-cluster token files live in the HTTP client; a kubeconfig
        // bearer token lives on the ApiClient itself.
        if (apiClient.getAuthentication("BearerToken") instanceof ApiKeyAuth bearer && bearer.getApiKey() != null) {
            informer.setApiKey(bearer.getApiKey());
            informer.setApiKeyPrefix(bearer.getApiKeyPrefix());
        }
        return informer;
    }

    @Singleton
    @Bean(preDestroy = "stopAllRegisteredInformers")
    SharedInformerFactory sharedInformerFactory(@Named(INFORMER) ApiClient informerApiClient) {
        return new SharedInformerFactory(informerApiClient);
    }
}
