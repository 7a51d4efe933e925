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

    /// <summary>Every Management API permission (the current-user scopes are every user's anyway).</summary>
    internal static IEnumerable<RolePermission> AdministratorPermissions(Uri issuer)
    {
        var management = ManagementApiDefinition.IdentifierFor(issuer);
        return ManagementScopes.All
            .Where(s => !ManagementScopes.IsCurrentUserScope(s))
            .Select(s => new RolePermission { ResourceServerIdentifier = management, PermissionName = s });
    }
}
