namespace Latchkey.Server.Tests.Tenants;

/// <summary>Tenant files used by the import tests.</summary>
internal static class TenantFiles
{
    public const string Valid = """
    {
      // Comments and trailing commas are accepted.
      "resource_servers": [
        {
          "identifier": "https://orders.example.com",
          "name": "Orders",
          "scopes": [ { "value": "read:orders", "description": "Read" }, { "value": "write:orders" } ],
          "signing_alg": "RS256",
          "token_lifetime": 3600,
          "allow_offline_access": true,
          "enforce_policies": true,
          "token_dialect": "access_token_authz"
        }
      ],
      "clients": [
        {
          "client_id": "orders-spa",
          "name": "Orders SPA",
          "app_type": "spa",
          "callbacks": [ "https://app.example.com/callback", "http://localhost:3000" ],
          "allowed_logout_urls": [ "https://app.example.com/" ],
          "web_origins": [ "https://app.example.com" ],
          "allowed_origins": [ "https://app.example.com/" ],
          "grant_types": [ "authorization_code", "refresh_token" ],
          "refresh_token": { "rotation_type": "rotating", "expiration_type": "expiring", "leeway": 5, "token_lifetime": 86400, "idle_token_lifetime": 3600 }
        },
        {
          "client_id": "orders-worker",
          "client_secret": "worker-secret-0123456789-abcdefghijklm",
          "name": "Orders worker",
          "app_type": "non_interactive"
        },
      ],
      "client_grants": [
        { "client_id": "orders-worker", "audience": "https://orders.example.com", "scope": [ "read:orders" ] },
        { "client_id": "orders-worker", "audience": "http://127.0.0.1:7391/api/v2/", "scope": [ "read:users" ] }
      ],
      "roles": [
        { "name": "clerk", "description": "Reads orders", "permissions": [ { "resource_server_identifier": "https://orders.example.com", "permission_name": "read:orders" } ] }
      ],
      "users": [
        {
          "email": "Alice@Example.com",
          "password": "correct horse battery",
          "email_verified": true,
          "name": "Alice",
          "user_metadata": { "theme": "dark" },
          "app_metadata": { "plan": "gold" },
          "roles": [ "clerk" ]
        },
        { "email": "bob@example.com", "password": "another long one" }
      ]
    }
    """;

    /// <summary><see cref="Valid"/> with values changed; same natural keys.</summary>
    public static string ValidChanged => Valid
        .Replace("\"name\": \"Orders\",", "\"name\": \"Orders v2\",", StringComparison.Ordinal)
        .Replace("\"leeway\": 5", "\"leeway\": 10", StringComparison.Ordinal)
        .Replace("worker-secret-0123456789-abcdefghijklm", "rotated-secret-9876543210-abcdefghijklm", StringComparison.Ordinal)
        .Replace("\"scope\": [ \"read:orders\" ]", "\"scope\": [ \"read:orders\", \"write:orders\" ]", StringComparison.Ordinal)
        .Replace("\"Reads orders\"", "\"Reads and writes\"", StringComparison.Ordinal)
        .Replace("\"theme\": \"dark\"", "\"theme\": \"light\"", StringComparison.Ordinal)
        .Replace("correct horse battery", "new password for alice", StringComparison.Ordinal);
}
