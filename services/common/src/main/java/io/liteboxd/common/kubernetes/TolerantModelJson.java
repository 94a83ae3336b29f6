package io.liteboxd.common.kubernetes;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Status;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * client-java's generated models reject any field they do not know ("The field `observedGeneration`
 * in the JSON string is not defined in the `V1PodStatus` properties"), so a cluster newer than the
 * client breaks every watch. Kubernetes' own compatibility rule is that clients ignore unknown
 * fields; this swaps client-java's (process-wide) Gson for one without the validating model
 * adapters: models are read and written by Gson's field reflection ({@code @SerializedName}),
 * with adapters for the few types that need one.
 */
@Singleton
public class TolerantModelJson implements BeanCreatedEventListener<ApiClient> {

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(OffsetDateTime.class, new OffsetDateTimeAdapter().nullSafe())
            .registerTypeAdapter(byte[].class, new BytesAdapter().nullSafe())
            .registerTypeAdapterFactory(new DeleteAnswerFactory())
            .create();

    @Override
    public ApiClient onCreated(BeanCreatedEvent<ApiClient> event) {
        install();
        return event.getBean();
    }

    /** For code that uses client-java outside an application context (test fixtures). */
    public static void install() {
        // client-java keeps one Gson for the whole process; installing ours again is harmless.
        JSON.setGson(GSON);
    }

    /**
     * client-java reads every DELETE answer as a {@link V1Status}, but the server answers with the
     * object itself when the deletion is not immediate (a namespace, a foreground delete, a
     * finalizer); reading that as a Status fails on its {@code status} object. An answer of
     * another kind means the delete was accepted, so it becomes a successful Status.
     */
    static final class DeleteAnswerFactory implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            if (type.getRawType() != V1Status.class) {
                return null;
            }
            TypeAdapter<T> status = gson.getDelegateAdapter(this, type);
            TypeAdapter<JsonElement> tree = gson.getAdapter(JsonElement.class);
            return new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    status.write(out, value);
                }

                @Override
                public T read(JsonReader in) throws IOException {
                    JsonElement answer = tree.read(in);
                    if (answer != null && answer.isJsonObject() && answer.getAsJsonObject().has("kind")) {
                        String kind = answer.getAsJsonObject().get("kind").getAsString();
                        if (!"Status".equals(kind)) {
                            return (T) new V1Status().kind(kind).status("Success");
                        }
                    }
                    return status.fromJsonTree(answer);
                }
            };
        }
    }

    /** RFC 3339 times, as the API server writes them. */
    static final class OffsetDateTimeAdapter extends TypeAdapter<OffsetDateTime> {
        /**
         * Always six fraction digits in UTC: MicroTime fields (a Lease's renewTime) accept only
         * that layout, and plain Time fields parse any fraction.
         */
        private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX");

        @Override
        public void write(JsonWriter out, OffsetDateTime value) throws IOException {
            out.value(MICROS.format(value.withOffsetSameInstant(java.time.ZoneOffset.UTC)));
        }

        @Override
        public OffsetDateTime read(JsonReader in) throws IOException {
            return OffsetDateTime.parse(in.nextString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
    }

    /** {@code []byte} fields (Secret data) are base64 strings on the wire. */
    static final class BytesAdapter extends TypeAdapter<byte[]> {
        @Override
        public void write(JsonWriter out, byte[] value) throws IOException {
            out.value(Base64.getEncoder().encodeToString(value));
        }

        @Override
        public byte[] read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return Base64.getDecoder().decode(in.nextString());
        }
    }
}
