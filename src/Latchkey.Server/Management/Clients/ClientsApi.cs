using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Management.Clients;

/// <summary>
/// Management API v2, clients (Applications): <c>GET/POST /api/v2/clients</c>, <c>GET/PATCH/DELETE
/// /api/v2/clients/{id}</c> and <c>POST /api/v2/clients/{id}/rotate-secret</c>. Values are checked by
/// <see cref="ApplicationRules"/>, the tenant file's rules (URLs exact, https except loopback, no wildcards). The
/// <c>client_id</c> and the secret (384 random bits, base64url) are generated; the secret is answered once, by create
/// and rotate-secret, and stored as a hash by <see cref="ClientSecretHasher"/>. Every write goes through
/// <see cref="TenantWriter"/>: the token endpoint honours it on the next request. The dashboard's built-in Application
/// (<see cref="DashboardDefinition"/>) belongs to the server, as Auth0's own dashboard is no client of an Auth0 tenant:
/// it is neither listed nor answered (404), so no administrator can lock the others out by editing it.
/// </summary>
internal static class ClientsApi
{
    public static RouteGroupBuilder MapClientsApi(this RouteGroupBuilder api)
    {
        var clients = api.MapGroup(string.Empty).WithTags("Clients");

        clients.MapGet("/clients", ListAsync)
            .WithName("get_clients")
            .WithSummary("Get clients")
            .RequireManagementScope(ManagementScopes.ReadClients, ManagementScopes.ReadClientKeys);

        clients.MapPost("/clients", CreateAsync)
            .WithName("post_clients")
            .WithSummary("Create a client; the answer holds its secret, once")
            .RequireManagementScope(ManagementScopes.CreateClients);

        clients.MapGet("/clients/{id}", GetAsync)
            .WithName("get_clients_by_id")
            .WithSummary("Get a client")
            .RequireManagementScope(ManagementScopes.ReadClients, ManagementScopes.ReadClientKeys)
            .ProducesManagementError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        clients.MapPatch("/clients/{id}", UpdateAsync)
            .WithName("patch_clients_by_id")
            .WithSummary("Update a client")
            .RequireManagementScope(ManagementScopes.UpdateClients, ManagementScopes.UpdateClientKeys)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        clients.MapDelete("/clients/{id}", DeleteAsync)
            .WithName("delete_clients_by_id")
            .WithSummary("Delete a client, its client grants and its refresh tokens")
            .RequireManagementScope(ManagementScopes.DeleteClients)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        clients.MapPost("/clients/{id}/rotate-secret", RotateSecretAsync)
            .WithName("post_rotate_secret")
            .WithSummary("Rotate a client secret; the answer holds the new secret, once")
            .RequireManagementScope(ManagementScopes.UpdateClientKeys)
            .ProducesManagementError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Results<PagedResult<ClientResponse>, ManagementProblem>> ListAsync(
        PageRequest page,
        HttpRequest request,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        [FromQuery(Name = "app_type")] string? appType,
        [FromQuery(Name = "is_first_party")] string? isFirstParty,
        LatchkeyDbContext db,
        IOptions<LatchkeyOptions> options,
        CancellationToken cancellationToken)
    {
        var fieldsProblem = ManagementQuery.Fields(request, out var selection);
        var typeProblem = ManagementQuery.Text(request, "app_type", out var types);
        var firstPartyProblem = ManagementQuery.Bool(request, "is_first_party", out var firstParty);
        if ((fieldsProblem ?? typeProblem ?? firstPartyProblem) is { } problem)
        {
            return problem;
        }

        // Auth0: app_type is a comma-separated list of types.
        var wanted = types?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var matching = (await db.Set<Application>().AsNoTracking().Where(a => a.ClientId != DashboardDefinition.ClientId).ToListAsync(cancellationToken))
            .Where(a => wanted is null || wanted.Contains(a.AppType))
            .Where(a => firstParty is null || a.IsFirstParty == firstParty)
            .OrderBy(a => a.ClientId, StringComparer.Ordinal)
            .ToList();
        var lifetime = options.Value.Tokens.IdentityTokenLifetime;
        var items = matching.Skip(page.Skip).Take(page.PerPage).Select(a => Shape(ClientResponse.From(a, lifetime), selection)).ToList();
        return page.Respond(items, matching.Count);
    }

    private static async Task<Results<Ok<ClientResponse>, ManagementProblem>> GetAsync(
        string id,
        HttpRequest request,
        [FromQuery(Name = "fields")] string? fields,
        [FromQuery(Name = "include_fields")] string? includeFields,
        LatchkeyDbContext db,
        IOptions<LatchkeyOptions> options,
        CancellationToken cancellationToken)
    {
        if (ManagementQuery.Fields(request, out var selection) is { } problem)
        {
            return problem;
        }

        var application = await db.Set<Application>().AsNoTracking().FirstOrDefaultAsync(a => a.ClientId == id && a.ClientId != DashboardDefinition.ClientId, cancellationToken);
        return application is null
            ? ManagementErrors.ClientNotFound()
            : TypedResults.Ok(Shape(ClientResponse.From(application, options.Value.Tokens.IdentityTokenLifetime), selection));
    }

    private static async Task<Results<Created<ClientResponse>, ManagementProblem>> CreateAsync(
        ManagementBody<ClientCreateRequest> body,
        LatchkeyDbContext db,
        TenantWriter writer,
        ClientSecretHasher hasher,
        IOptions<LatchkeyOptions> options,
        CancellationToken cancellationToken)
    {
        var badBody = Metadata(body.Value.ClientMetadata, current: null, out var metadata) ?? JwtExtras(body.Value.JwtConfiguration);
        if (badBody is not null)
        {
            return badBody;
        }

        var draft = Draft(body.Value, body.Members, current: null, ClientSecrets.NewClientId(), metadata);
        if (TenantWrites.FirstProblem(ApplicationRules.Check(draft)) is { } invalid)
        {
            return invalid;
        }

        var application = draft.ToApplication();
        var secret = application.IsPublic ? null : ClientSecrets.Generate();
        application.ClientSecretHash = secret is null ? null : hasher.Hash(secret);
        await writer.WriteAsync(
            ct =>
            {
                db.Add(application);
                return Task.CompletedTask;
            },
            cancellationToken);
        return TypedResults.Created(
            $"{ManagementServiceCollectionExtensions.PathPrefix}/clients/{application.ClientId}",
            ClientResponse.From(application, options.Value.Tokens.IdentityTokenLifetime, secret));
    }

    private static async Task<Results<Ok<ClientResponse>, ManagementProblem>> UpdateAsync(
        string id,
        ManagementBody<ClientUpdateRequest> body,
        ManagementCaller caller,
        LatchkeyDbContext db,
        TenantWriter writer,
        ClientSecretHasher hasher,
        IOptions<LatchkeyOptions> options,
        CancellationToken cancellationToken)
    {
        // Auth0: "The client_secret … can only be updated with the update:client_keys scope."
        var setsSecret = body.Members.Contains("client_secret", StringComparer.Ordinal);
        if (setsSecret && !caller.Has(ManagementScopes.UpdateClientKeys))
        {
            return ManagementErrors.InsufficientScope(ManagementScopes.UpdateClientKeys);
        }

        if (JwtExtras(body.Value.JwtConfiguration) is { } badJwt)
        {
            return badJwt;
        }

        // Hashed before the write (the hasher's key is never loaded inside a tenant transaction).
        var newSecretHash = setsSecret ? hasher.Hash(body.Value.ClientSecret) : null;
        var unknownSecretHash = hasher.Hash(ClientSecrets.Generate());
        Application? updated = null;
        var problem = await writer.RunAsync(
            async ct =>
            {
                var application = await db.Set<Application>().FirstOrDefaultAsync(a => a.ClientId == id && a.ClientId != DashboardDefinition.ClientId, ct);
                if (application is null)
                {
                    return ManagementErrors.ClientNotFound();
                }

                if (Metadata(body.Value.ClientMetadata, application.ClientMetadata, out var metadata) is { } badMetadata)
                {
                    return badMetadata;
                }

                var draft = Draft(body.Value, body.Members, application, application.ClientId, metadata) with
                {
                    ClientSecret = setsSecret ? body.Value.ClientSecret : null,
                };
                if (TenantWrites.FirstProblem(ApplicationRules.Check(draft)) is { } invalid)
                {
                    return invalid;
                }

                var next = draft.ToApplication();
                if (next.IsPublic && await db.Set<ClientGrant>().Where(g => g.ClientId == application.ClientId).Select(g => g.Audience).FirstOrDefaultAsync(ct) is { } audience)
                {
                    return ManagementErrors.InvalidBody(new RuleProblem("app_type",
                        $"a {next.AppType} application is public and cannot keep its client grants (one is for \"{audience}\"): delete them first"));
                }

                Apply(application, next);
                if (next.IsPublic)
                {
                    application.ClientSecretHash = null;
                }
                else if (newSecretHash is not null)
                {
                    application.ClientSecretHash = newSecretHash;
                }
                else if (application.ClientSecretHash is null)
                {
                    // Public → confidential: a secret nobody knows until rotate-secret, never none.
                    application.ClientSecretHash = unknownSecretHash;
                }

                updated = application;
                return null;
            },
            cancellationToken);
        return problem ?? (Results<Ok<ClientResponse>, ManagementProblem>)TypedResults.Ok(ClientResponse.From(updated!, options.Value.Tokens.IdentityTokenLifetime));
    }

    /// <summary>
    /// Auth0 answers 204 and removes the Application's configuration; Latchkey also removes its client grants and revokes
    /// the refresh tokens and pending codes issued to it, in the same write, so a client re-created later with the same
    /// id (a tenant file) does not bring them back.
    /// </summary>
    private static async Task<Results<NoContent, ManagementProblem>> DeleteAsync(
        string id, LatchkeyDbContext db, TenantWriter writer, IOpenIddictTokenManager tokens, CancellationToken cancellationToken)
    {
        var problem = await writer.RunAsync(
            async ct =>
            {
                var application = await db.Set<Application>().FirstOrDefaultAsync(a => a.ClientId == id && a.ClientId != DashboardDefinition.ClientId, ct);
                if (application is null)
                {
                    return ManagementErrors.ClientNotFound();
                }

                await db.Set<ClientGrant>().Where(g => g.ClientId == application.ClientId).ExecuteDeleteAsync(ct);
                // The application id of OpenIddict's rows is the client_id (Protocol/Clients/LatchkeyTokenManager).
                await tokens.RevokeByApplicationIdAsync(application.ClientId, ct);
                db.Remove(application);
                return null;
            },
            cancellationToken);
        return problem ?? (Results<NoContent, ManagementProblem>)TypedResults.NoContent();
    }

    /// <summary>Auth0 <c>POST /api/v2/clients/{id}/rotate-secret</c>: a new secret at once; the old one stops working.</summary>
    private static async Task<Results<Ok<ClientResponse>, ManagementProblem>> RotateSecretAsync(
        string id, LatchkeyDbContext db, TenantWriter writer, ClientSecretHasher hasher, IOptions<LatchkeyOptions> options, CancellationToken cancellationToken)
    {
        var secret = ClientSecrets.Generate();
        var hash = hasher.Hash(secret);
        Application? rotated = null;
        var problem = await writer.RunAsync(
            async ct =>
            {
                var application = await db.Set<Application>().FirstOrDefaultAsync(a => a.ClientId == id && a.ClientId != DashboardDefinition.ClientId, ct);
                if (application is null)
                {
                    return ManagementErrors.ClientNotFound();
                }

                if (application.IsPublic)
                {
                    return ManagementErrors.PublicClientHasNoSecret(application.AppType);
                }

                application.ClientSecretHash = hash;
                rotated = application;
                return null;
            },
            cancellationToken);
        return problem ?? (Results<Ok<ClientResponse>, ManagementProblem>)TypedResults.Ok(ClientResponse.From(rotated!, options.Value.Tokens.IdentityTokenLifetime, secret));
    }

    private static void Apply(Application application, Application next)
    {
        application.Name = next.Name;
        application.Description = next.Description;
        application.AppType = next.AppType;
        application.IsFirstParty = next.IsFirstParty;
        application.Callbacks = next.Callbacks;
        application.AllowedLogoutUrls = next.AllowedLogoutUrls;
        application.WebOrigins = next.WebOrigins;
        application.AllowedOrigins = next.AllowedOrigins;
        application.GrantTypes = next.GrantTypes;
        application.TokenEndpointAuthMethod = next.TokenEndpointAuthMethod;
        application.IdTokenLifetime = next.IdTokenLifetime;
        application.ClientMetadata = next.ClientMetadata;
        if (!SameRefreshPolicy(application.RefreshToken, next.RefreshToken))
        {
            application.RefreshToken = next.RefreshToken;
        }
    }

    private static bool SameRefreshPolicy(RefreshTokenPolicy a, RefreshTokenPolicy b) =>
        (a.RotationType, a.ExpirationType, a.Leeway, a.TokenLifetime, a.IdleTokenLifetime)
        == (b.RotationType, b.ExpirationType, b.Leeway, b.TokenLifetime, b.IdleTokenLifetime);

    /// <summary>
    /// The Application as it will be: <paramref name="current"/> (null on create) with the members sent. A changed
    /// <c>app_type</c> that moves between public and confidential takes that kind's <c>token_endpoint_auth_method</c>
    /// unless one is sent; <c>refresh_token</c> and <c>jwt_configuration</c> change only in the members they hold.
    /// </summary>
    private static ApplicationDraft Draft(ClientMembers body, IReadOnlyList<string> sent, Application? current, string clientId, IReadOnlyDictionary<string, string?> metadata)
    {
        bool Has(string member) => sent.Contains(member, StringComparer.Ordinal);
        var name = body switch
        {
            ClientCreateRequest create => create.Name,
            ClientUpdateRequest update when Has("name") => update.Name,
            _ => current?.Name,
        };
        var appType = Has("app_type") ? body.AppType : current?.AppType ?? AppTypes.RegularWeb;
        var method = Has("token_endpoint_auth_method") ? body.TokenEndpointAuthMethod
            : current is null || AppTypes.IsPublic(current.AppType) != AppTypes.IsPublic(appType) ? null
            : current.TokenEndpointAuthMethod;
        return new ApplicationDraft
        {
            ClientId = clientId,
            Name = name,
            Description = Has("description") ? body.Description : current?.Description,
            AppType = appType,
            IsFirstParty = Has("is_first_party") ? body.IsFirstParty : current?.IsFirstParty,
            Callbacks = Has("callbacks") ? body.Callbacks : current?.Callbacks,
            AllowedLogoutUrls = Has("allowed_logout_urls") ? body.AllowedLogoutUrls : current?.AllowedLogoutUrls,
            WebOrigins = Has("web_origins") ? body.WebOrigins : current?.WebOrigins,
            AllowedOrigins = Has("allowed_origins") ? body.AllowedOrigins : current?.AllowedOrigins,
            GrantTypes = Has("grant_types") ? body.GrantTypes : current?.GrantTypes,
            TokenEndpointAuthMethod = method,
            RefreshToken = RefreshDraft(Has("refresh_token"), body.RefreshToken, current?.RefreshToken),
            IdTokenLifetime = Has("jwt_configuration") && body.JwtConfiguration.LifetimeInSeconds is { } seconds ? seconds : current?.IdTokenLifetime,
            ClientMetadata = metadata,
        };
    }

    private static RefreshTokenDraft? RefreshDraft(bool sent, ClientRefreshTokenBody? body, RefreshTokenPolicy? current)
    {
        if (sent && body is null)
        {
            return null; // null restores the defaults
        }

        if (!sent)
        {
            return current is null ? null : new RefreshTokenDraft
            {
                RotationType = current.RotationType,
                ExpirationType = current.ExpirationType,
                Leeway = current.Leeway,
                TokenLifetime = current.TokenLifetime,
                IdleTokenLifetime = current.IdleTokenLifetime,
            };
        }

        return new RefreshTokenDraft
        {
            RotationType = body!.RotationType,
            ExpirationType = body.ExpirationType,
            Leeway = body.Leeway ?? current?.Leeway,
            TokenLifetime = body.TokenLifetime ?? current?.TokenLifetime,
            IdleTokenLifetime = body.IdleTokenLifetime ?? current?.IdleTokenLifetime,
            InfiniteTokenLifetime = body.InfiniteTokenLifetime,
            InfiniteIdleTokenLifetime = body.InfiniteIdleTokenLifetime,
        };
    }

    /// <summary>
    /// <c>client_metadata</c> after the body: values must be strings; on update the body merges into
    /// <paramref name="current"/> and a null value removes its key (Auth0, like user metadata).
    /// </summary>
    private static ManagementProblem? Metadata(JsonObject body, IReadOnlyDictionary<string, string>? current, out IReadOnlyDictionary<string, string?> merged)
    {
        var result = new Dictionary<string, string?>(current?.ToDictionary(p => p.Key, p => (string?)p.Value) ?? [], StringComparer.Ordinal);
        merged = result;
        foreach (var (key, value) in body)
        {
            if (value is null && current is not null)
            {
                result.Remove(key);
            }
            else if (value?.GetValueKind() == JsonValueKind.String)
            {
                result[key] = value.GetValue<string>();
            }
            else
            {
                var found = StrictJson.TypeName(value);
                return ManagementErrors.InvalidBody($"Payload validation error: 'Expected type string but found type {found}' on property client_metadata.{key}.");
            }
        }

        return null;
    }

    /// <summary>
    /// <c>jwt_configuration.alg</c> and <c>secret_encoded</c> are accepted only with the values Latchkey has (RS256,
    /// false); checked with the body's other values by <see cref="ApplicationRules"/>'s wording.
    /// </summary>
    private static ManagementProblem? JwtExtras(ClientJwtConfigurationBody jwt) =>
        jwt.Alg is { } alg && alg != "RS256" ? ManagementErrors.InvalidBody(new RuleProblem("jwt_configuration.alg", ValueRules.OneOf(alg, ["RS256"])!))
        : jwt.SecretEncoded == true ? ManagementErrors.InvalidBody(new RuleProblem("jwt_configuration.secret_encoded", "must be false: Latchkey signs ID tokens with RS256, not with the client secret"))
        : null;

    private static ManagementProblem? ReadFields(HttpRequest request, out (IReadOnlySet<string> Fields, bool Include)? selection) =>
        ManagementQuery.Fields(request, out selection);

    private static ClientResponse Shape(ClientResponse client, (IReadOnlySet<string> Fields, bool Include)? selection) =>
        selection is { } s ? client.Select(s.Fields, s.Include) : client;
}
