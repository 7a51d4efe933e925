namespace Latchkey.Server.Tenants;

/// <summary>
/// The built-in Management API, always registered as a resource server (<see cref="Api.IsSystem"/>) so that client
/// grants and roles may name it. Identifier and scope names are Auth0's (<c>https://{domain}/api/v2/</c>).
/// </summary>
public static class ManagementApiDefinition
{
    public const string Name = "Latchkey Management API";

    public const string ReadCurrentUser = "read:current_user";
    public const string UpdateCurrentUserMetadata = "update:current_user_metadata";
    public const string CreateCurrentUserMetadata = "create:current_user_metadata";
    public const string ReadUsers = "read:users";
    public const string UpdateUsers = "update:users";
    public const string ReadSigningKeys = "read:signing_keys";
    public const string CreateSigningKeys = "create:signing_keys";
    public const string UpdateSigningKeys = "update:signing_keys";

    public static readonly IReadOnlyList<string> Scopes =
    [
        ReadCurrentUser, UpdateCurrentUserMetadata, CreateCurrentUserMetadata,
        ReadUsers, UpdateUsers, "create:users", "delete:users",
        "read:clients", "update:clients", "create:clients", "delete:clients",
        "read:resource_servers", "update:resource_servers",
        "read:roles", "update:roles",
        "read:client_grants", "update:client_grants", "create:client_grants",
        ReadSigningKeys, CreateSigningKeys, UpdateSigningKeys,
    ];

    /// <summary><c>&lt;issuer&gt;api/v2/</c>; the issuer always ends with one slash.</summary>
    public static string IdentifierFor(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.AbsoluteUri + "api/v2/";
    }
}
