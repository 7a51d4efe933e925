namespace Latchkey.Server.Tenants;

/// <summary>
/// Every scope of the built-in Management API, named exactly as Auth0 names them (Auth0 Management API v2: each
/// endpoint documents the scopes it accepts). Endpoints declare theirs with <c>RequireManagementScope</c>; client grants
/// and roles may name any of them because <see cref="ManagementApiDefinition"/> defines them all.
/// </summary>
public static class ManagementScopes
{
    // Current user (an SPA's own profile): restricted to the token's own subject, see IsCurrentUserScope.
    public const string ReadCurrentUser = "read:current_user";
    public const string UpdateCurrentUserMetadata = "update:current_user_metadata";
    public const string CreateCurrentUserMetadata = "create:current_user_metadata";

    // Users
    public const string ReadUsers = "read:users";
    public const string CreateUsers = "create:users";
    public const string UpdateUsers = "update:users";
    public const string DeleteUsers = "delete:users";
    public const string ReadUsersAppMetadata = "read:users_app_metadata";
    public const string CreateUsersAppMetadata = "create:users_app_metadata";
    public const string UpdateUsersAppMetadata = "update:users_app_metadata";
    public const string CreateUserTickets = "create:user_tickets";

    // Applications (clients) and their secrets
    public const string ReadClients = "read:clients";
    public const string CreateClients = "create:clients";
    public const string UpdateClients = "update:clients";
    public const string DeleteClients = "delete:clients";
    public const string ReadClientKeys = "read:client_keys";
    public const string UpdateClientKeys = "update:client_keys";

    // APIs (resource servers)
    public const string ReadResourceServers = "read:resource_servers";
    public const string CreateResourceServers = "create:resource_servers";
    public const string UpdateResourceServers = "update:resource_servers";
    public const string DeleteResourceServers = "delete:resource_servers";

    // Client grants
    public const string ReadClientGrants = "read:client_grants";
    public const string CreateClientGrants = "create:client_grants";
    public const string UpdateClientGrants = "update:client_grants";
    public const string DeleteClientGrants = "delete:client_grants";

    // Roles
    public const string ReadRoles = "read:roles";
    public const string CreateRoles = "create:roles";
    public const string UpdateRoles = "update:roles";
    public const string DeleteRoles = "delete:roles";
    public const string ReadRoleMembers = "read:role_members";

    // Connections
    public const string ReadConnections = "read:connections";
    public const string CreateConnections = "create:connections";
    public const string UpdateConnections = "update:connections";
    public const string DeleteConnections = "delete:connections";

    // Logs
    public const string ReadLogs = "read:logs";
    public const string ReadLogsUsers = "read:logs_users";

    // Signing keys
    public const string ReadSigningKeys = "read:signing_keys";
    public const string CreateSigningKeys = "create:signing_keys";
    public const string UpdateSigningKeys = "update:signing_keys";

    // Grants, sessions and refresh tokens
    public const string ReadGrants = "read:grants";
    public const string DeleteGrants = "delete:grants";
    public const string DeleteSessions = "delete:sessions";
    public const string ReadRefreshTokens = "read:refresh_tokens";
    public const string DeleteRefreshTokens = "delete:refresh_tokens";

    // Actions
    public const string ReadActions = "read:actions";
    public const string CreateActions = "create:actions";
    public const string UpdateActions = "update:actions";

    // Tenant settings
    public const string ReadTenantSettings = "read:tenant_settings";
    public const string UpdateTenantSettings = "update:tenant_settings";

    /// <summary>Every scope above, in the order the Management API definition lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        ReadCurrentUser, UpdateCurrentUserMetadata, CreateCurrentUserMetadata,
        ReadUsers, CreateUsers, UpdateUsers, DeleteUsers,
        ReadUsersAppMetadata, CreateUsersAppMetadata, UpdateUsersAppMetadata, CreateUserTickets,
        ReadClients, CreateClients, UpdateClients, DeleteClients, ReadClientKeys, UpdateClientKeys,
        ReadResourceServers, CreateResourceServers, UpdateResourceServers, DeleteResourceServers,
        ReadClientGrants, CreateClientGrants, UpdateClientGrants, DeleteClientGrants,
        ReadRoles, CreateRoles, UpdateRoles, DeleteRoles, ReadRoleMembers,
        ReadConnections, CreateConnections, UpdateConnections, DeleteConnections,
        ReadLogs, ReadLogsUsers,
        ReadSigningKeys, CreateSigningKeys, UpdateSigningKeys,
        ReadGrants, DeleteGrants, DeleteSessions, ReadRefreshTokens, DeleteRefreshTokens,
        ReadActions, CreateActions, UpdateActions,
        ReadTenantSettings, UpdateTenantSettings,
    ];

    /// <summary>
    /// Auth0's current-user scopes (<c>read:current_user</c>, <c>update:current_user_metadata</c>, …) reach only the
    /// user the token was issued to: the <c>{id}</c> of the request must be the token's <c>sub</c> (docs/reference/auth0-wire.md R15.2).
    /// </summary>
    public static bool IsCurrentUserScope(string scope) => scope.Contains(":current_user", StringComparison.Ordinal);

    /// <summary>Auth0's description style: <c>read:client_grants</c> → "Read Client Grants".</summary>
    public static string Describe(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var words = scope.Replace(':', '_').Split('_', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
