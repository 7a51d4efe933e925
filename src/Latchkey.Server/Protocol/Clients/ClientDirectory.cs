using System.Collections.Frozen;
using System.Text.Json;
using Latchkey.Server.Tenants;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// The tenant's Applications as OpenIddict sees them (clients), materialised in memory from the current
/// <see cref="TenantSnapshot"/> and rebuilt only when the snapshot changes. The token endpoint reads clients from
/// here, never from the database.
/// </summary>
internal sealed class ClientDirectory(TenantCache tenants)
{
    private volatile Entries? _entries;

    public async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var snapshot = await tenants.GetAsync(cancellationToken);
        var entries = _entries;
        if (entries is null || entries.Version != snapshot.Version)
        {
            entries = new Entries(snapshot.Version, snapshot.Applications.Values.ToFrozenDictionary(
                application => application.ClientId,
                ToClient,
                StringComparer.Ordinal));
            _entries = entries;
        }

        return entries.Clients.GetValueOrDefault(clientId);
    }

    /// <summary>Maps an Application (Auth0 shape) to an OpenIddict client: type, URIs, permissions, requirements.</summary>
    internal static OpenIddictEntityFrameworkCoreApplication ToClient(Application application) => new()
    {
        // The client_id doubles as the OpenIddict id: it is stable across nodes and restarts.
        Id = application.ClientId,
        ClientId = application.ClientId,
        ClientSecret = application.IsPublic ? null : application.ClientSecretHash,
        ClientType = application.IsPublic ? ClientTypes.Public : ClientTypes.Confidential,
        ApplicationType = application.AppType == AppTypes.Native ? ApplicationTypes.Native : ApplicationTypes.Web,
        ConsentType = ConsentTypes.Implicit,
        DisplayName = application.Name,
        RedirectUris = JsonSerializer.Serialize(application.Callbacks),
        PostLogoutRedirectUris = JsonSerializer.Serialize(application.AllowedLogoutUrls),
        Permissions = JsonSerializer.Serialize(PermissionsOf(application)),
        // OAuth 2.1 / RFC 9700 §2.1.1: public clients must use PKCE (S256 only: "plain" is not offered at all).
        Requirements = JsonSerializer.Serialize(application.IsPublic ? [Requirements.Features.ProofKeyForCodeExchange] : Array.Empty<string>()),
    };

    private static List<string> PermissionsOf(Application application)
    {
        var grants = application.GrantTypes.ToHashSet(StringComparer.Ordinal);
        var permissions = new List<string> { Permissions.Endpoints.Token };

        if (grants.Contains(GrantTypes.AuthorizationCode) || grants.Contains(GrantTypes.Implicit))
        {
            permissions.Add(Permissions.Endpoints.Authorization);
            permissions.Add(Permissions.Endpoints.EndSession);
        }

        if (grants.Contains(GrantTypes.AuthorizationCode))
        {
            permissions.Add(Permissions.GrantTypes.AuthorizationCode);
            permissions.Add(Permissions.ResponseTypes.Code);
        }

        if (grants.Contains(GrantTypes.Implicit))
        {
            // auth0-js: response_type "token id_token" (and its halves), delivered in the fragment or by web_message.
            permissions.Add(Permissions.GrantTypes.Implicit);
            permissions.Add(Permissions.ResponseTypes.IdToken);
            permissions.Add(Permissions.ResponseTypes.IdTokenToken);
            permissions.Add(Permissions.ResponseTypes.Token);
        }

        if (grants.Contains(GrantTypes.RefreshToken))
        {
            permissions.Add(Permissions.GrantTypes.RefreshToken);
            permissions.Add(Permissions.Endpoints.Revocation);
        }

        if (grants.Contains(GrantTypes.ClientCredentials))
        {
            // Which APIs it may ask for is the client grants' decision (Audience/AudienceResolver); OpenIddict's
            // audience permissions are ignored.
            permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        return permissions;
    }

    private sealed record Entries(long Version, FrozenDictionary<string, OpenIddictEntityFrameworkCoreApplication> Clients);
}
