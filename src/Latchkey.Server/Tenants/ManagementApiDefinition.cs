namespace Latchkey.Server.Tenants;

/// <summary>
/// The built-in Management API, always registered as a resource server (<see cref="Api.IsSystem"/>) so that client
/// grants and roles may name it. Identifier and scope names (<see cref="ManagementScopes"/>) are Auth0's
/// (<c>https://{domain}/api/v2/</c>).
/// </summary>
public static class ManagementApiDefinition
{
    public const string Name = "Latchkey Management API";

    /// <summary><c>&lt;issuer&gt;api/v2/</c>; the issuer always ends with one slash.</summary>
    public static string IdentifierFor(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.AbsoluteUri + "api/v2/";
    }
}
