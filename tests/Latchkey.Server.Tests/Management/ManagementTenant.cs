namespace Latchkey.Server.Tests.Management;

/// <summary>
/// The tenant the Management API tests import. The server runs with a fixed issuer (<see cref="Issuer"/>), so the
/// Management API's audience is known before the port is.
/// </summary>
internal static class ManagementTenant
{
    public const string Issuer = "http://issuer.latchkey.test/";
    public const string Audience = Issuer + "api/v2/";
    public const string SpaClient = "profile-spa";
    public const string SpaOrigin = "http://localhost:3000";
    public const string SpaCallback = "http://localhost:3000/callback";
    public const string AdminClient = "admin-m2m";
    public const string AdminSecret = "admin-secret-0123456789-abcdefghijklm";
    public const string ReaderClient = "reader-m2m";
    public const string ReaderSecret = "reader-secret-0123456789-abcdefghijklm";
    public const string AliceEmail = "alice@example.com";
    public const string AlicePassword = "alice-password-1";
    public const string BobEmail = "bob@example.com";

    public const string Json = """
    {
      "clients": [
        {
          "client_id": "profile-spa", "name": "Profile SPA", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "web_origins": [ "http://localhost:3000" ],
          "allowed_origins": [ "http://localhost:3000" ], "grant_types": [ "authorization_code", "refresh_token" ]
        },
        { "client_id": "admin-m2m", "client_secret": "admin-secret-0123456789-abcdefghijklm", "name": "Admin", "app_type": "non_interactive" },
        { "client_id": "reader-m2m", "client_secret": "reader-secret-0123456789-abcdefghijklm", "name": "Reader", "app_type": "non_interactive" }
      ],
      "client_grants": [
        { "client_id": "admin-m2m", "audience": "http://issuer.latchkey.test/api/v2/", "scope": [ "read:users", "update:users" ] },
        { "client_id": "reader-m2m", "audience": "http://issuer.latchkey.test/api/v2/", "scope": [ "read:clients" ] }
      ],
      "users": [
        { "email": "alice@example.com", "password": "alice-password-1", "name": "Alice", "email_verified": true,
          "user_metadata": { "theme": "dark" }, "app_metadata": { "plan": "gold" } },
        { "email": "bob@example.com", "password": "bob-password-1", "user_metadata": { "secret": "bob's" } }
      ]
    }
    """;
}
