using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Writes the tenant's configuration as a tenant file (docs/tenant-file.md) that <see cref="TenantImporter"/> reads
/// back: APIs (not the built-in Management API), Applications, client grants, roles and the database connection's
/// options, every member written
/// explicitly, each list in a stable order, so exporting, importing into an empty database and exporting again gives
/// the same file.
/// <para>
/// Left out, like Auth0's Deploy CLI: <b>client secrets</b> (only hashes are stored; an imported confidential
/// Application without one gets a random secret, revealed by <c>POST /api/v2/clients/{id}/rotate-secret</c>) and
/// <b>users</b> (data, not configuration; passwords exist only as hashes).
/// </para>
/// </summary>
internal sealed class TenantExporter(LatchkeyDbContext db)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The tenant file, and what it holds.</summary>
    public async Task<(string Json, TenantExportCounts Counts)> ExportAsync(CancellationToken cancellationToken = default)
    {
        var apis = (await db.Set<Api>().AsNoTracking().Where(a => !a.IsSystem).ToListAsync(cancellationToken))
            .OrderBy(a => a.Identifier, StringComparer.Ordinal).ToList();
        // The built-ins (the Management API, the dashboard's Application and role) are written by every start, not by the file.
        var applications = (await db.Set<Application>().AsNoTracking().Where(a => a.ClientId != DashboardDefinition.ClientId).ToListAsync(cancellationToken))
            .OrderBy(a => a.ClientId, StringComparer.Ordinal).ToList();
        var grants = (await db.Set<ClientGrant>().AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(g => g.ClientId, StringComparer.Ordinal).ThenBy(g => g.Audience, StringComparer.Ordinal).ToList();
        var roles = (await db.Set<Role>().AsNoTracking().Where(r => r.Name != DashboardDefinition.AdministratorRole).ToListAsync(cancellationToken))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var connections = (await db.Set<Connection>().AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

        var file = new JsonObject
        {
            ["resource_servers"] = new JsonArray([.. apis.Select(ApiNode)]),
            ["clients"] = new JsonArray([.. applications.Select(ApplicationNode)]),
            ["client_grants"] = new JsonArray([.. grants.Select(GrantNode)]),
            ["roles"] = new JsonArray([.. roles.Select(RoleNode)]),
            ["connections"] = new JsonArray([.. connections.Select(ConnectionNode)]),
        };
        var json = file.ToJsonString(Json) + "\n";
        return (json, new TenantExportCounts(apis.Count, applications.Count, grants.Count, roles.Count));
    }

    private static JsonObject ApiNode(Api api) => new()
    {
        ["identifier"] = api.Identifier,
        ["name"] = api.Name,
        ["scopes"] = new JsonArray([.. api.Scopes.Select(s => WithOptional(new JsonObject { ["value"] = s.Value }, "description", s.Description))]),
        ["signing_alg"] = api.SigningAlg,
        ["token_lifetime"] = api.TokenLifetime,
        ["token_lifetime_for_web"] = api.TokenLifetimeForWeb,
        ["allow_offline_access"] = api.AllowOfflineAccess,
        ["skip_consent_for_verifiable_first_party_clients"] = api.SkipConsentForVerifiableFirstPartyClients,
        ["enforce_policies"] = api.EnforcePolicies,
        ["token_dialect"] = api.TokenDialect,
    };

    private static JsonObject ApplicationNode(Application application)
    {
        var node = new JsonObject
        {
            ["client_id"] = application.ClientId,
            ["name"] = application.Name,
        };
        WithOptional(node, "description", application.Description);
        node["app_type"] = application.AppType;
        node["is_first_party"] = application.IsFirstParty;
        node["callbacks"] = Strings(application.Callbacks);
        node["allowed_logout_urls"] = Strings(application.AllowedLogoutUrls);
        node["web_origins"] = Strings(application.WebOrigins);
        node["allowed_origins"] = Strings(application.AllowedOrigins);
        node["grant_types"] = Strings(application.GrantTypes);
        node["token_endpoint_auth_method"] = application.TokenEndpointAuthMethod;
        node["refresh_token"] = new JsonObject
        {
            ["rotation_type"] = application.RefreshToken.RotationType,
            ["expiration_type"] = application.RefreshToken.ExpirationType,
            ["leeway"] = application.RefreshToken.Leeway,
            ["token_lifetime"] = application.RefreshToken.TokenLifetime,
            ["idle_token_lifetime"] = application.RefreshToken.IdleTokenLifetime,
        };
        if (application.IdTokenLifetime is { } lifetime)
        {
            node["jwt_configuration"] = new JsonObject { ["lifetime_in_seconds"] = lifetime };
        }

        var metadata = new JsonObject();
        foreach (var (key, value) in application.ClientMetadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            metadata[key] = value;
        }

        node["client_metadata"] = metadata;
        return node;
    }

    private static JsonObject GrantNode(ClientGrant grant) => new()
    {
        ["client_id"] = grant.ClientId,
        ["audience"] = grant.Audience,
        ["scope"] = Strings(grant.Scope),
    };

    private static JsonObject RoleNode(Role role)
    {
        var node = new JsonObject { ["name"] = role.Name };
        WithOptional(node, "description", role.Description);
        node["permissions"] = new JsonArray([.. role.Permissions.Select(p => new JsonObject
        {
            ["resource_server_identifier"] = p.ResourceServerIdentifier,
            ["permission_name"] = p.PermissionName,
        })]);
        return node;
    }

    /// <summary>The Deploy CLI's shape, with every option the tenant file reads (<see cref="TenantFileReader"/>).</summary>
    private static JsonObject ConnectionNode(Connection connection) => new()
    {
        ["name"] = connection.Name,
        ["strategy"] = connection.Strategy,
        ["options"] = new JsonObject { ["disable_signup"] = connection.DisableSignup },
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static JsonObject WithOptional(JsonObject node, string name, string? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }

        return node;
    }

    /// <summary>Writes the export to <paramref name="path"/> (<c>-</c>: standard output), UTF-8 without BOM.</summary>
    public static async Task WriteAsync(string json, string path, TextWriter standardOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        if (path == "-")
        {
            await standardOutput.WriteAsync(json);
            await standardOutput.FlushAsync(cancellationToken);
            return;
        }

        await File.WriteAllTextAsync(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
    }
}

/// <summary>How many of each the export holds.</summary>
internal sealed record TenantExportCounts(int Apis, int Applications, int ClientGrants, int Roles);
