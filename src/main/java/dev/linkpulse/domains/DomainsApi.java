package dev.linkpulse.domains;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.common.Timestamps;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.JsonFields;
import dev.linkpulse.http.QueryParams;
import dev.linkpulse.http.Routes;
import dev.linkpulse.keys.ApiKey;
import dev.linkpulse.keys.Permission;
import dev.linkpulse.links.LinkService;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /api/v1/domains} (spec §6.5): subdomains of the base domain and branded domains. */
public final class DomainsApi implements Routes {

    private static final String BASE = "/api/v1/domains";
    private static final int MAX_NAME = 255;
    private static final int MAX_DESCRIPTION = 1_000;

    private final DomainService domains;
    private final LinkService links;
    private final Auth auth;

    public DomainsApi(DomainService domains, LinkService links, Auth auth) {
        this.domains = domains;
        this.links = links;
        this.auth = auth;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(BASE + "/check-subdomain/{sub}", auth.require(Permission.READ, this::checkSubdomain));
        routes.post(BASE + "/subdomains", auth.require(Permission.WRITE, this::createSubdomain));
        routes.get(BASE + "/subdomains", auth.require(Permission.READ, this::listSubdomains));
        routes.delete(BASE + "/subdomains/{id}", auth.require(Permission.DELETE, this::deleteSubdomain));
        routes.post(BASE + "/branded", auth.require(Permission.WRITE, this::createBranded));
        routes.get(BASE + "/branded", auth.require(Permission.READ, this::listBranded));
        routes.post(BASE + "/branded/{id}/verify", auth.require(Permission.WRITE, this::verify));
        routes.delete(BASE + "/branded/{id}", auth.require(Permission.DELETE, this::deleteBranded));
    }

    private void checkSubdomain(Context ctx, ApiKey key) {
        String label = ctx.pathParam("sub").toLowerCase(Locale.ROOT);
        Optional<String> problem = domains.subdomainProblem(label);
        boolean available = problem.isEmpty() && !domains.isSubdomainTaken(label);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subdomain", label.length() > 63 ? label.substring(0, 63) : label);
        data.put("available", available);
        data.put("full_domain", problem.isEmpty() ? domains.fullDomain(label) : null);
        data.put("message", available ? "Subdomain is available" : problem.orElse("Subdomain is already taken"));
        Json.ok(ctx, data);
    }

    /** A body's fields, refusing any not in {@code allowed} (spec §6.1). */
    private static JsonNode strict(Context ctx, Set<String> allowed) {
        JsonNode body = Json.objectBody(ctx);
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw ApiException.validation(field, "unknown field " + field + "; this body takes: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return body;
    }

    private static Optional<String> text(JsonNode body, String field, int max) {
        return JsonFields.string(body, field).map(v -> {
            if (v.codePointCount(0, v.length()) > max || v.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
                throw ApiException.validation(field, field + " must be at most " + max + " printable characters");
            }
            return v;
        });
    }

    private void createSubdomain(Context ctx, ApiKey key) {
        JsonNode body = strict(ctx, Set.of("subdomain", "name", "description"));
        String label = JsonFields.requiredString(body, "subdomain").toLowerCase(Locale.ROOT);
        if (label.length() > 63 || label.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw ApiException.validation("subdomain", "subdomain must be 3 to 63 of a-z, 0-9 and '-', not starting or ending with '-'");
        }
        DomainStore.Subdomain s = domains.createSubdomain(key.workspaceId(), label,
                text(body, "name", MAX_NAME).orElse(null), text(body, "description", MAX_DESCRIPTION).orElse(null));
        Json.ok(ctx, 201, view(s));
    }

    private void listSubdomains(Context ctx, ApiKey key) {
        Json.ok(ctx, domains.subdomains(key.workspaceId()).stream().map(this::view).toList());
    }

    private Map<String, Object> view(DomainStore.Subdomain s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("subdomain", s.subdomain());
        m.put("full_domain", domains.fullDomain(s.subdomain()));
        m.put("is_verified", true); // a subdomain of the base domain needs no proof: the server answers for it
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("link_count", links.countOnDomain(s.workspaceId(), s.subdomain()));
        m.put("created_at", Timestamps.format(s.createdAt()));
        return m;
    }

    private static boolean force(Context ctx) {
        String raw = QueryParams.single(ctx, "force");
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw ApiException.validation("force", "force must be true or false");
    }

    private void deleteSubdomain(Context ctx, ApiKey key) {
        boolean force = force(ctx);
        DomainStore.Subdomain s = domains.subdomain(key.workspaceId(), ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Subdomain not found"));
        int deleted = domains.deleteSubdomain(s, force, links);
        Json.ok(ctx, Map.of("message", "Subdomain deleted", "links_deleted", deleted));
    }

    private void createBranded(Context ctx, ApiKey key) {
        JsonNode body = strict(ctx, Set.of("domain", "name", "description"));
        String domain = JsonFields.requiredString(body, "domain").toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.length() > 253 || domain.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw ApiException.validation("domain", "domain must be a host name such as go.example.com");
        }
        DomainStore.Branded b = domains.createBranded(key.workspaceId(), domain,
                text(body, "name", MAX_NAME).orElse(null), text(body, "description", MAX_DESCRIPTION).orElse(null));
        Json.ok(ctx, 201, view(b));
    }

    private void listBranded(Context ctx, ApiKey key) {
        Json.ok(ctx, domains.brandedDomains(key.workspaceId()).stream().map(this::view).toList());
    }

    private Map<String, Object> view(DomainStore.Branded b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("domain", b.domain());
        m.put("is_verified", b.verifiedAt() != null);
        m.put("verified_at", Timestamps.formatNullable(b.verifiedAt()));
        m.put("name", b.name());
        m.put("description", b.description());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", "TXT");
        v.put("name", DomainService.TXT_PREFIX + b.domain());
        v.put("value", b.token());
        v.put("cname_target", domains.baseHost());
        m.put("verification", v);
        m.put("link_count", links.countOnDomain(b.workspaceId(), b.domain()));
        m.put("created_at", Timestamps.format(b.createdAt()));
        return m;
    }

    private DomainStore.Branded findBranded(Context ctx, ApiKey key) {
        return domains.branded(key.workspaceId(), ctx.pathParam("id")).orElseThrow(() -> ApiException.notFound("Branded domain not found"));
    }

    private void verify(Context ctx, ApiKey key) {
        dev.linkpulse.http.BodyFields.none(ctx);
        DomainService.Verification v = domains.verify(findBranded(ctx, key));
        Map<String, Object> data = view(v.domain());
        data.put("message", v.message());
        Json.ok(ctx, data);
    }

    private void deleteBranded(Context ctx, ApiKey key) {
        boolean force = force(ctx);
        int deleted = domains.deleteBranded(findBranded(ctx, key), force, links);
        Json.ok(ctx, Map.of("message", "Branded domain deleted", "links_deleted", deleted));
    }
}
