namespace Latchkey.Server.Tenants;

/// <summary>
/// Auth0's Management API scope names. <see cref="Registered"/> are the scopes the built-in Management API defines, so
/// client grants and roles may name them; the Management API endpoints require them by these constants.
/// </summary>
public static class ManagementScopes
{
    // Current-user scopes: a user's own token may carry them (Auth0 "Get Management API Access Tokens for SPAs").
    public const string ReadCurrentUser = "read:current_user";
    public const string UpdateCurrentUserMetadata = "update:current_user_metadata";
    public const string CreateCurrentUserMetadata = "create:current_user_metadata";

    public const string ReadUsers = "read:users";
    public const string UpdateUsers = "update:users";
    public const string CreateUsers = "create:users";
    public const string DeleteUsers = "delete:users";
    public const string ReadClients = "read:clients";
    public const string UpdateClients = "update:clients";
    public const string CreateClients = "create:clients";
    public const string DeleteClients = "delete:clients";
    public const string ReadResourceServers = "read:resource_servers";
    public const string UpdateResourceServers = "update:resource_servers";
    public const string ReadRoles = "read:roles";
    public const string UpdateRoles = "update:roles";
    public const string ReadClientGrants = "read:client_grants";
    public const string UpdateClientGrants = "update:client_grants";
    public const string CreateClientGrants = "create:client_grants";

    /// <summary>Auth0's scope for <c>DELETE /api/v2/users/{id}/sessions</c>; not yet a scope of the built-in API.</summary>
    public const string DeleteSessions = "delete:sessions";

    public static readonly IReadOnlyList<string> Registered =
    [
        ReadCurrentUser, UpdateCurrentUserMetadata, CreateCurrentUserMetadata,
        ReadUsers, UpdateUsers, CreateUsers, DeleteUsers,
        ReadClients, UpdateClients, CreateClients, DeleteClients,
        ReadResourceServers, UpdateResourceServers,
        ReadRoles, UpdateRoles,
        ReadClientGrants, UpdateClientGrants, CreateClientGrants,
    ];

    /// <summary>
    /// Users may get only the <c>*current_user*</c> scopes of the Management API (Auth0: "Get Management API Access
    /// Tokens for SPAs"); the others need a client grant.
    /// </summary>
    public static bool IsCurrentUserScope(string scope) => scope.Contains("current_user", StringComparison.Ordinal);
}
