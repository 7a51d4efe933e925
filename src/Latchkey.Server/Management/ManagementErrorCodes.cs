namespace Latchkey.Server.Management;

/// <summary>
/// The <c>errorCode</c> values of Management API errors, Auth0's names (docs/reference/auth0-wire.md R15.4). Add a code here before using
/// it, so clients can rely on the list.
/// </summary>
internal static class ManagementErrorCodes
{
    public const string InvalidBody = "invalid_body";
    public const string InvalidQueryString = "invalid_query_string";
    public const string InvalidUri = "invalid_uri";
    public const string InsufficientScope = "insufficient_scope";
    public const string TooManyRequests = "too_many_requests";
    public const string Conflict = "conflict";
    public const string InexistentUser = "inexistent_user";
    public const string InexistentRole = "inexistent_role";
    public const string InexistentLog = "inexistent_log";
    public const string InexistentConnection = "inexistent_connection";
    public const string InexistentKey = "inexistent_key";
    public const string InvalidKeyState = "invalid_key_state";
    public const string EmailConflicts = "email_conflicts";
    public const string OperationNotSupported = "operation_not_supported";
    public const string InexistentAction = "inexistent_action";
    public const string InexistentRefreshToken = "inexistent_refresh_token";
    public const string InexistentJob = "inexistent_job";

    /// <summary>A call that sends mail while none can be sent (Latchkey's code; Auth0 tenants always have a provider).</summary>
    public const string EmailProviderNotConfigured = "email_provider_not_configured";

    // Users.
    /// <summary>Auth0's code for a user that already exists (the database connection, an "identity provider", refuses).</summary>
    public const string UserExists = "auth0_idp_error";
    public const string InvalidPaging = "invalid_paging";

    // Tenant configuration (resource servers, clients, client grants).
    public const string InexistentResourceServer = "inexistent_resource_server";
    public const string InexistentClient = "inexistent_client";
    public const string InexistentClientGrant = "inexistent_client_grant";
    public const string ResourceServerConflict = "resource_server_conflict";
    public const string ClientGrantConflict = "client_grant_conflict";

    /// <summary>Auth0 puts the expected scheme in <c>errorCode</c> when the Authorization header is malformed.</summary>
    public const string BearerScheme = "Bearer";
}
