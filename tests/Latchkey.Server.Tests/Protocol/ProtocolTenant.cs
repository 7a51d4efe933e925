namespace Latchkey.Server.Tests.Protocol;

/// <summary>The tenant file the protocol tests import (Auth0 Management API v2 shapes).</summary>
internal static class ProtocolTenant
{
    public const string Api = "https://api.example.com";
    public const string PlainApi = "https://plain.example.com";
    public const string OfflineDeniedApi = "urn:no-offline";
    public const string SpaClient = "spa";
    public const string SpaCallback = "http://localhost:3000/callback";
    public const string WebClient = "web";
    public const string WebSecret = "web-secret-0123456789-abcdefghijklm";
    public const string WebCallback = "http://localhost:4000/signin-oidc";
    public const string M2mClient = "m2m";
    public const string M2mSecret = "m2m-secret-0123456789-abcdefghijklm";
    public const string UngrantedM2mClient = "m2m-ungranted";
    public const string UngrantedM2mSecret = "m2m-ungranted-0123456789-abcdefghijklm";
    public const string LeewayClient = "spa-leeway";
    public const string NoRefreshClient = "spa-no-refresh";
    public const string LifetimesClient = "spa-lifetimes";
    public const string NonRotatingClient = "spa-non-rotating";
    public const string UserEmail = "alice@example.com";
    public const string UserPassword = "correct horse battery";

    public const string Json = """
    {
      "resource_servers": [
        {
          "identifier": "https://api.example.com", "name": "API",
          "scopes": [ { "value": "read:messages" }, { "value": "write:messages" } ],
          "token_lifetime": 3600, "allow_offline_access": true,
          "enforce_policies": true, "token_dialect": "access_token_authz"
        },
        { "identifier": "https://plain.example.com", "name": "Plain", "scopes": [ { "value": "read:plain" } ], "token_lifetime": 600, "allow_offline_access": true },
        { "identifier": "urn:no-offline", "name": "No offline", "scopes": [ { "value": "read:x" } ] }
      ],
      "clients": [
        {
          "client_id": "spa", "name": "SPA", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "allowed_logout_urls": [ "http://localhost:3000/" ],
          "web_origins": [ "http://localhost:3000" ], "grant_types": [ "authorization_code", "refresh_token" ]
        },
        {
          "client_id": "spa-leeway", "name": "SPA with reuse interval", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "grant_types": [ "authorization_code", "refresh_token" ],
          "refresh_token": { "rotation_type": "rotating", "expiration_type": "expiring", "leeway": 60, "token_lifetime": 86400, "idle_token_lifetime": 3600 }
        },
        {
          "client_id": "spa-no-refresh", "name": "SPA without refresh tokens", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "grant_types": [ "authorization_code" ]
        },
        {
          "client_id": "web", "client_secret": "web-secret-0123456789-abcdefghijklm", "name": "Web", "app_type": "regular_web",
          "callbacks": [ "http://localhost:4000/signin-oidc" ], "grant_types": [ "authorization_code", "refresh_token" ]
        },
        { "client_id": "m2m", "client_secret": "m2m-secret-0123456789-abcdefghijklm", "name": "M2M", "app_type": "non_interactive", "grant_types": [ "client_credentials" ] },
        { "client_id": "m2m-ungranted", "client_secret": "m2m-ungranted-0123456789-abcdefghijklm", "name": "M2M without grant", "app_type": "non_interactive", "grant_types": [ "client_credentials" ] },
        {
          "client_id": "spa-lifetimes", "name": "SPA with short refresh-token lifetimes", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "grant_types": [ "authorization_code", "refresh_token" ],
          "refresh_token": { "rotation_type": "rotating", "expiration_type": "expiring", "leeway": 0, "token_lifetime": 3600, "idle_token_lifetime": 1800 }
        },
        {
          "client_id": "spa-non-rotating", "name": "SPA with non-rotating refresh tokens", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "grant_types": [ "authorization_code", "refresh_token" ],
          "refresh_token": { "rotation_type": "non-rotating", "expiration_type": "non-expiring", "leeway": 0 }
        }
      ],
      "client_grants": [
        { "client_id": "m2m", "audience": "https://api.example.com", "scope": [ "read:messages", "write:messages" ] },
        { "client_id": "m2m", "audience": "https://plain.example.com", "scope": [ "read:plain" ] }
      ],
      "roles": [
        { "name": "reader", "permissions": [ { "resource_server_identifier": "https://api.example.com", "permission_name": "read:messages" } ] }
      ],
      "users": [
        { "email": "alice@example.com", "password": "correct horse battery", "email_verified": true, "name": "Alice", "roles": [ "reader" ] }
      ]
    }
    """;
}
