namespace Latchkey.Server.Tests.Login;

/// <summary>A small tenant for the login tests.</summary>
internal static class LoginTenant
{
    public const string AliceEmail = "alice@example.com";
    public const string AlicePassword = "alice-password-1";
    public const string BlockedEmail = "blocked@example.com";
    public const string BlockedPassword = "blocked-password-1";

    public const string Json = """
    {
      "clients": [
        { "client_id": "sample-spa", "name": "Sample SPA", "app_type": "spa", "callbacks": ["http://localhost:3000/callback"] }
      ],
      "users": [
        { "email": "alice@example.com", "password": "alice-password-1", "name": "Alice" },
        { "email": "blocked@example.com", "password": "blocked-password-1", "blocked": true }
      ]
    }
    """;
}
