namespace Latchkey.Server.Tests.Rbac;

/// <summary>
/// The tenant of the RBAC tests: one API per <c>token_dialect</c> with policies enforced, one without, a role per
/// concern, an SPA that refreshes, an administrator for <c>/api/v2</c> and one with too few scopes. Users are created
/// per test (<see cref="RbacServerFixture.CreateUserAsync"/>) so tests sharing the server do not see each other.
/// </summary>
internal static class RbacTenant
{
    public const string Issuer = "http://rbac.latchkey.test/";
    public const string ManagementAudience = Issuer + "api/v2/";
    public const string Spa = "rbac-spa";
    public const string Callback = "http://localhost:3000/callback";
    public const string Admin = "rbac-admin";
    public const string AdminSecret = "rbac-admin-secret-0123456789-0123456789";
    public const string Reader = "rbac-reader";
    public const string ReaderSecret = "rbac-reader-secret-0123456789-0123456789";
    public const string Worker = "orders-worker";
    public const string WorkerSecret = "orders-worker-secret-0123456789-012345678";

    /// <summary>RBAC, Auth0's profile with <c>permissions</c> (<c>access_token_authz</c>).</summary>
    public const string Orders = "https://orders.example.com";

    /// <summary>RBAC, Auth0's profile without <c>permissions</c> (<c>access_token</c>).</summary>
    public const string Plain = "https://plain.example.com";

    /// <summary>RBAC, RFC 9068's profile with <c>permissions</c> (<c>rfc9068_profile_authz</c>).</summary>
    public const string Rfc = "https://rfc.example.com";

    /// <summary>RBAC, RFC 9068's profile without <c>permissions</c> (<c>rfc9068_profile</c>).</summary>
    public const string RfcPlain = "https://rfc-plain.example.com";

    /// <summary>No RBAC (<c>enforce_policies: false</c>): any defined scope.</summary>
    public const string Open = "https://open.example.com";

    /// <summary>Has <c>read:orders</c> on every API above.</summary>
    public const string Clerk = "clerk";

    /// <summary>Has <c>read:roles</c> on the Management API.</summary>
    public const string Auditor = "auditor";

    public const string Json = """
    {
      "resource_servers": [
        { "identifier": "https://orders.example.com", "name": "Orders", "allow_offline_access": true,
          "enforce_policies": true, "token_dialect": "access_token_authz",
          "scopes": [ { "value": "read:orders", "description": "Read orders" }, { "value": "write:orders", "description": "Write orders" }, { "value": "delete:orders" } ] },
        { "identifier": "https://plain.example.com", "enforce_policies": true, "token_dialect": "access_token",
          "scopes": [ { "value": "read:orders" }, { "value": "write:orders" } ] },
        { "identifier": "https://rfc.example.com", "enforce_policies": true, "token_dialect": "rfc9068_profile_authz",
          "scopes": [ { "value": "read:orders" }, { "value": "write:orders" } ] },
        { "identifier": "https://rfc-plain.example.com", "enforce_policies": true, "token_dialect": "rfc9068_profile",
          "scopes": [ { "value": "read:orders" }, { "value": "write:orders" } ] },
        { "identifier": "https://open.example.com", "enforce_policies": false, "token_dialect": "access_token",
          "scopes": [ { "value": "read:orders" }, { "value": "write:orders" } ] }
      ],
      "clients": [
        { "client_id": "rbac-spa", "app_type": "spa", "callbacks": [ "http://localhost:3000/callback" ],
          "grant_types": [ "authorization_code", "refresh_token" ] },
        { "client_id": "rbac-admin", "client_secret": "rbac-admin-secret-0123456789-0123456789", "app_type": "non_interactive" },
        { "client_id": "rbac-reader", "client_secret": "rbac-reader-secret-0123456789-0123456789", "app_type": "non_interactive" },
        { "client_id": "orders-worker", "client_secret": "orders-worker-secret-0123456789-012345678", "app_type": "non_interactive" }
      ],
      "client_grants": [
        { "client_id": "rbac-admin", "audience": "http://rbac.latchkey.test/api/v2/",
          "scope": [ "read:roles", "create:roles", "update:roles", "delete:roles", "read:users", "update:users", "read:role_members", "create:role_members", "delete:role_members" ] },
        { "client_id": "rbac-reader", "audience": "http://rbac.latchkey.test/api/v2/", "scope": [ "read:clients" ] },
        { "client_id": "orders-worker", "audience": "https://orders.example.com", "scope": [ "read:orders", "write:orders" ] },
        { "client_id": "orders-worker", "audience": "https://rfc-plain.example.com", "scope": [ "read:orders" ] }
      ],
      "roles": [
        { "name": "clerk", "description": "Reads orders", "permissions": [
          { "resource_server_identifier": "https://orders.example.com", "permission_name": "read:orders" },
          { "resource_server_identifier": "https://plain.example.com", "permission_name": "read:orders" },
          { "resource_server_identifier": "https://rfc.example.com", "permission_name": "read:orders" },
          { "resource_server_identifier": "https://rfc-plain.example.com", "permission_name": "read:orders" } ] },
        { "name": "auditor", "permissions": [ { "resource_server_identifier": "http://rbac.latchkey.test/api/v2/", "permission_name": "read:roles" } ] }
      ]
    }
    """;
}
