using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>
/// The tenant the browser-dialect tests run against (Auth0 Management API v2 shapes, imported at start-up), and
/// small helpers to build authorization URLs. Names follow docs/reference/security-catalogue.md: C_pub is <see cref="Spa"/> with redirect
/// <c>https://app.test/cb</c>.
/// </summary>
internal static class BrowserTenant
{
    public const string Spa = "spa";
    public const string Legacy = "legacy";
    public const string NoLogoutUrls = "no-logout-urls";
    public const string Callback = "https://app.test/cb";
    public const string AppOrigin = "https://app.test";
    public const string CorsOnlyOrigin = "https://cors.test";
    public const string LogoutUrl = "https://app.test/logged-out";
    public const string LegacyCallback = "https://legacy.test/cb";
    public const string LegacyOrigin = "https://legacy.test";
    public const string Audience = "https://api.test";
    public const string Email = "alice@example.test";
    public const string OtherEmail = "bob@example.test";
    public const string BlockedEmail = "blocked@example.test";
    public const string Password = "correct horse battery staple 42";

    /// <summary>A valid PKCE S256 challenge (RFC 7636 appendix B).</summary>
    public const string CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    public const string Json = """
    {
      "resource_servers": [
        {
          "identifier": "https://api.test",
          "name": "Test API",
          "scopes": [ { "value": "read:messages" }, { "value": "write:messages" } ],
          "allow_offline_access": true,
          "token_lifetime": 86400
        }
      ],
      "clients": [
        {
          "client_id": "spa",
          "name": "Test SPA",
          "app_type": "spa",
          "callbacks": [ "https://app.test/cb", "http://localhost:3000" ],
          "allowed_logout_urls": [ "https://app.test/logged-out", "https://app.test/" ],
          "web_origins": [ "https://app.test", "http://localhost:3000" ],
          "allowed_origins": [ "https://cors.test" ],
          "grant_types": [ "authorization_code", "refresh_token" ]
        },
        {
          "client_id": "legacy",
          "name": "Legacy auth0.js app",
          "app_type": "spa",
          "callbacks": [ "https://legacy.test/cb" ],
          "allowed_logout_urls": [ "https://legacy.test/" ],
          "web_origins": [ "https://legacy.test" ],
          "grant_types": [ "authorization_code", "implicit" ]
        },
        {
          "client_id": "no-logout-urls",
          "name": "App without logout URLs",
          "app_type": "spa",
          "callbacks": [ "https://other.test/cb" ],
          "grant_types": [ "authorization_code" ]
        }
      ],
      "users": [
        { "email": "alice@example.test", "password": "correct horse battery staple 42", "email_verified": true, "name": "Alice" },
        { "email": "bob@example.test", "password": "correct horse battery staple 42", "email_verified": true, "name": "Bob" },
        { "email": "blocked@example.test", "password": "correct horse battery staple 42", "blocked": true }
      ]
    }
    """;

    public static Task<LatchkeyTestServer> StartAsync() => LatchkeyTestServer.StartAsync(Json);

    /// <summary>A code + PKCE request as auth0-spa-js builds it (R2.1), with overrides; a null value removes a parameter.</summary>
    public static string Authorize(params (string Name, string? Value)[] overrides)
    {
        var parameters = new List<KeyValuePair<string, string?>>
        {
            new("client_id", Spa),
            new("scope", "openid profile email"),
            new("redirect_uri", Callback),
            new("response_type", "code"),
            new("response_mode", "query"),
            new("state", "c3RhdGUtdmFsdWU="),
            new("nonce", "bm9uY2UtdmFsdWU="),
            new("code_challenge", CodeChallenge),
            new("code_challenge_method", "S256"),
            new("auth0Client", "eyJuYW1lIjoiYXV0aDAtc3BhLWpzIiwidmVyc2lvbiI6IjIuMjcuMCJ9"),
        };
        foreach (var (name, value) in overrides)
        {
            parameters.RemoveAll(p => p.Key == name);
            if (value is not null)
            {
                parameters.Add(new(name, value));
            }
        }

        return QueryHelpers.AddQueryString("/authorize", parameters);
    }

    /// <summary>The query parameters of a redirect's Location (or its fragment, for implicit responses).</summary>
    public static Dictionary<string, string> ParametersOf(Uri location, bool fragment = false)
    {
        var part = fragment ? location.Fragment.TrimStart('#') : location.Query;
        return QueryHelpers.ParseQuery(part).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public static Uri LocationOf(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found,
            $"Expected a redirect, got {(int)response.StatusCode}");
        return response.Headers.Location ?? throw new InvalidOperationException("No Location header.");
    }
}
