package io.liteboxd.api.template;

import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.runtime.SandboxRuntime;
import io.liteboxd.api.storage.TransactionLock;
import io.liteboxd.api.template.TemplateViews.CreateRequest;
import io.liteboxd.api.template.TemplateViews.RollbackRequest;
import io.liteboxd.api.template.TemplateViews.RollbackResponse;
import io.liteboxd.api.template.TemplateViews.TemplatePage;
import io.liteboxd.api.template.TemplateViews.TemplateView;
import io.liteboxd.api.template.TemplateViews.UpdateRequest;
import io.liteboxd.api.template.TemplateViews.VersionView;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Templates and their immutable versions (spec §6.4). Every change is one (write) transaction
 * that takes {@link TransactionLock} before it reads what it decides on (the name is free, the
 * next version number), so concurrent changes, on one replica or several, queue instead of
 * failing on a unique constraint; reads run outside transactions, because with SQLite every
 * transaction holds the write lock.
 */
@Singleton
public class TemplateService {

    private final TemplateRepository templates;
    private final TemplateVersionRepository versions;
    private final JsonMapper json;
    private final SandboxCaps caps;
    private final BeanProvider<SandboxRuntime> runtime;
    private final TransactionLock lock;
    private final ApplicationEventPublisher<TemplateChanged> changes;

    TemplateService(TemplateRepository templates, TemplateVersionRepository versions, JsonMapper json,
                    SandboxCaps caps, BeanProvider<SandboxRuntime> runtime, TransactionLock lock,
                    ApplicationEventPublisher<TemplateChanged> changes) {
        this.changes = changes;
        this.templates = templates;
        this.versions = versions;
        this.json = json;
        this.caps = caps;
        this.runtime = runtime;
        this.lock = lock;
    }

    /** The rules and caps, then whether the cluster has the RuntimeClass the spec names. */
    private TemplateSpec normalize(TemplateSpec given) {
        TemplateSpec spec = TemplateSpecRules.normalize(given, caps);
        checkRuntimeClass(spec);
        return spec;
    }

    private void checkRuntimeClass(TemplateSpec spec) {
        // Without Kubernetes (liteboxd.kubernetes.enabled=false) there is no catalog to ask; the
        // sandbox create checks again anyway.
        if (spec.runtimeClassName() != null && runtime.isPresent()) {
            runtime.get().problem(spec.runtimeClassName()).ifPresent(problem -> {
                throw TemplateException.invalid("invalid spec: " + problem);
            });
        }
    }

    @Transactional
    public TemplateView create(CreateRequest request) {
        TemplateSpecRules.checkName(request.name());
        TemplateSpec spec = normalize(request.spec());
        lock.acquire(TransactionLock.Scope.TEMPLATES);
        if (templates.existsByName(request.name())) {
            throw new TemplateException(HttpStatus.CONFLICT, "TEMPLATE_EXISTS",
                    "template '" + request.name() + "' already exists");
        }
        Instant now = now();
        Template template = templates.save(new Template(newId("tpl-"), request.name(),
                orEmpty(request.displayName()), orEmpty(request.description()),
                write(request.tags() == null ? List.of() : request.tags()), "",
                request.isPublic() == null || request.isPublic(), 1, now, now));
        versions.save(new TemplateVersion(newId("ver-"), template.id(), 1, write(spec), "Initial version", "", now));
        changes.publishEvent(new TemplateChanged(request.name(), false));
        return view(template, spec);
    }

    public TemplatePage list(String tag, String search, int page, int pageSize) {
        String tagPattern = tag == null || tag.isEmpty() ? null : "%\"" + tag + "\"%";
        String searchPattern = search == null || search.isEmpty() ? null : "%" + search + "%";
        List<TemplateView> items = templates.search(tagPattern, searchPattern, pageSize, (page - 1) * pageSize)
                .stream().map(t -> view(t, latestSpec(t))).toList();
        return new TemplatePage(items, templates.countMatching(tagPattern, searchPattern), page, pageSize);
    }

    public TemplateView get(String name) {
        Template template = find(name);
        return view(template, latestSpec(template));
    }

    @Transactional
    public TemplateView update(String name, UpdateRequest request) {
        TemplateSpec spec = normalize(request.spec());
        lock.acquire(TransactionLock.Scope.TEMPLATES);
        Template current = find(name);
        int next = current.latestVersion() + 1;
        Instant now = now();
        versions.save(new TemplateVersion(newId("ver-"), current.id(), next, write(spec),
                orEmpty(request.changelog()), "", now));
        Template updated = templates.update(new Template(current.id(), current.name(),
                request.displayName() != null ? request.displayName() : current.displayName(),
                request.description() != null ? request.description() : current.description(),
                request.tags() != null ? write(request.tags()) : current.tags(),
                current.author(),
                request.isPublic() != null ? request.isPublic() : current.isPublic(),
                next, current.createdAt(), now));
        changes.publishEvent(new TemplateChanged(name, false));
        return view(updated, spec);
    }

    @Transactional
    public void delete(String name) {
        templates.delete(find(name));
        changes.publishEvent(new TemplateChanged(name, true));
    }

    public List<VersionView> versions(String name) {
        Template template = find(name);
        return versions.findByTemplateIdOrderByVersionDesc(template.id()).stream().map(this::view).toList();
    }

    public VersionView version(String name, int version) {
        return templates.findByName(name)
                .flatMap(t -> versions.findByTemplateIdAndVersion(t.id(), version))
                .map(this::view)
                .orElseThrow(() -> new TemplateException(HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND",
                        "Version " + version + " not found for template '" + name + "'"));
    }

    @Transactional
    public RollbackResponse rollback(String name, RollbackRequest request) {
        if (request.targetVersion() == null || request.targetVersion() == 0) {
            throw TemplateException.invalid("targetVersion is required");
        }
        if (request.targetVersion() < 1) {
            throw TemplateException.invalid("target version must be at least 1");
        }
        lock.acquire(TransactionLock.Scope.TEMPLATES);
        Template current = find(name);
        int target = request.targetVersion();
        TemplateVersion source = versions.findByTemplateIdAndVersion(current.id(), target)
                .orElseThrow(() -> new TemplateException(HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND",
                        "version " + target + " not found"));
        TemplateSpec restored = read(source.spec(), TemplateSpec.class);
        TemplateSpecRules.checkCaps(restored, caps);
        checkRuntimeClass(restored);
        int next = current.latestVersion() + 1;
        Instant now = now();
        String changelog = request.changelog() == null || request.changelog().isEmpty()
                ? "Rolled back to version " + target : request.changelog();
        versions.save(new TemplateVersion(newId("ver-"), current.id(), next, source.spec(), changelog, "", now));
        templates.update(new Template(current.id(), current.name(), current.displayName(), current.description(),
                current.tags(), current.author(), current.isPublic(), next, current.createdAt(), now));
        changes.publishEvent(new TemplateChanged(name, false));
        return new RollbackResponse(current.id(), current.name(), next, current.latestVersion(), target, now);
    }

    /** The spec of {@code name} at {@code version} (0 = latest) for sandbox creation; empty when missing. */
    public Optional<Resolved> resolve(String name, int version) {
        return templates.findByName(name).flatMap(t -> {
            int wanted = version > 0 ? version : t.latestVersion();
            return versions.findByTemplateIdAndVersion(t.id(), wanted)
                    .map(v -> new Resolved(t.name(), v.version(), read(v.spec(), TemplateSpec.class)));
        });
    }

    public boolean exists(String name) {
        return templates.existsByName(name);
    }

    /** Every template with its latest spec, newest first (export has no cap, unlike upstream's 20). */
    public List<Map.Entry<TemplateView, TemplateSpec>> all() {
        return templates.listOrderByCreatedAtDesc().stream().map(t -> {
            TemplateSpec spec = latestSpec(t);
            return Map.entry(view(t, spec), spec);
        }).toList();
    }

    /** A template's spec at one version. */
    public record Resolved(String name, int version, TemplateSpec spec) {}

    private Template find(String name) {
        return templates.findByName(name).orElseThrow(() -> TemplateException.templateNotFound(name));
    }

    private TemplateSpec latestSpec(Template template) {
        return versions.findByTemplateIdAndVersion(template.id(), template.latestVersion())
                .map(v -> read(v.spec(), TemplateSpec.class)).orElse(null);
    }

    private TemplateView view(Template t, TemplateSpec spec) {
        List<String> tags = t.tags() == null || t.tags().isBlank() ? List.of() : read(t.tags(), Argument.listOf(String.class));
        return new TemplateView(t.id(), t.name(), orEmpty(t.displayName()), orEmpty(t.description()), tags,
                orEmpty(t.author()), t.isPublic() == null || t.isPublic(),
                t.latestVersion() == null ? 0 : t.latestVersion(), t.createdAt(), t.updatedAt(), spec);
    }

    private VersionView view(TemplateVersion v) {
        return new VersionView(v.id(), v.templateId(), v.version(), read(v.spec(), TemplateSpec.class),
                orEmpty(v.changelog()), orEmpty(v.createdBy()), v.createdAt());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        return read(text, Argument.of(type));
    }

    private <T> T read(String text, Argument<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
