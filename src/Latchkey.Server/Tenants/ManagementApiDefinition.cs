namespace Latchkey.Server.Tenants;

/// <summary>
/// The built-in Management API, always registered as a resource server (<see cref="Api.IsSystem"/>) so that client
/// grants and roles may name it and every scope in <see cref="ManagementScopes"/>. Identifier and scope names are
/// Auth0's (<c>https://{domain}/api/v2/</c>).
/// </summary>
public static class ManagementApiDefinition
{
    public const string Name = "Latchkey Management API";

    /// <summary>The scopes the built-in API defines, with Auth0-style descriptions.</summary>
    public static IReadOnlyList<ApiScope> Scopes() =>
        ManagementScopes.All.Select(s => new ApiScope { Value = s, Description = ManagementScopes.Describe(s) }).ToList();

    /// <summary><c>&lt;issuer&gt;api/v2/</c>; the issuer always ends with one slash.</summary>
    public static string IdentifierFor(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.AbsoluteUri + "api/v2/";
    }
}
