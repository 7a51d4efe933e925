namespace Latchkey.Server.Tenants;

/// <summary>
/// What the dashboard (<c>&lt;issuer&gt;dashboard</c>, docs/dashboard.md) needs in every tenant, written at each start
/// beside the built-in Management API (<see cref="TenantImporter.EnsureManagementApiAsync"/>): its first-party
/// single-page Application, which signs administrators in with the authorization code flow and PKCE and asks for
/// Management API tokens, and the role <c>Tenant Administrator</c>, which holds every Management API permission. Both
/// follow the issuer and the scope list when they change; the role's members are left alone. They are written directly,
/// not through the tenant file's rules, because the issuer decides the callback (an <c>http</c> issuer on a LAN host is
/// the operator's choice, not a tenant mistake).
/// </summary>
public static class DashboardDefinition
{
    public const string ClientId = "latchkey-dashboard";
    public const string ApplicationName = "Latchkey Dashboard";
    public const string AdministratorRole = "Tenant Administrator";
    public const string Path = "/dashboard";

    /// <summary>
    /// How long the dashboard's Management API tokens live. A dashboard token is a whole administrator's power held in a
    /// browser tab, so it is short: sign-out ends the login session and a token already issued is worth ten minutes at
    /// most. auth0-spa-js renews it silently (the <c>prompt=none</c> iframe) a minute before it expires, so an
    /// administrator at work never notices (docs/dashboard.md, "Who may use it").
    /// </summary>
    public static readonly TimeSpan ManagementTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The dashboard's URL, which is its callback and its logout URL: <c>&lt;issuer&gt;dashboard</c>.</summary>
    public static string UrlFor(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.AbsoluteUri + "dashboard";
    }

    /// <summary>Sets the built-in Application's values (a public SPA: PKCE, no secret, no refresh token).</summary>
    internal static void Configure(Application application, Uri issuer)
    {
        var url = UrlFor(issuer);
        application.Name = ApplicationName;
        application.Description = "The tenant's administration console, served by Latchkey.";
        application.AppType = AppTypes.Spa;
        application.TokenEndpointAuthMethod = TokenEndpointAuthMethods.None;
        application.ClientSecretHash = null;
        application.IsFirstParty = true;
        application.Callbacks = [url];
        application.AllowedLogoutUrls = [url];
        // The silent-authentication iframe (web_message) runs on the dashboard's own origin.
        application.WebOrigins = [issuer.GetLeftPart(UriPartial.Authority)];
        application.AllowedOrigins = [];
        application.GrantTypes = ["authorization_code"];
    }

    /// <summary>
    /// The dashboard's own tokens for the built-in Management API live <see cref="ManagementTokenLifetime"/> at most;
    /// every other Application and API keeps the API's lifetime.
    /// </summary>
    internal static TimeSpan CapAccessTokenLifetime(Application application, Api? api, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(application);
        return application.ClientId == ClientId && api is { IsSystem: true } && lifetime > ManagementTokenLifetime
            ? ManagementTokenLifetime
            : lifetime;
    }

    /// <summary>Every Management API permission (the current-user scopes are every user's anyway).</summary>
    internal static IEnumerable<RolePermission> AdministratorPermissions(Uri issuer)
    {
        var management = ManagementApiDefinition.IdentifierFor(issuer);
        return ManagementScopes.All
            .Where(s => !ManagementScopes.IsCurrentUserScope(s))
            .Select(s => new RolePermission { ResourceServerIdentifier = management, PermissionName = s });
    }
}
