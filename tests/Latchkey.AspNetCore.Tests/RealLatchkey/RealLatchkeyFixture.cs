using Latchkey.AspNetCore.Tests.Infrastructure;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.RealLatchkey;

/// <summary>
/// A real Latchkey (SQLite, imported tenant file), samples/api and the express API, both trusting that Latchkey.
/// </summary>
public sealed class RealLatchkeyFixture : IAsyncLifetime
{
    public const string Api = "https://quickstarts/api";
    public const string OtherApi = "https://other.example.com";
    public const string Reader = "m2m-reader";
    public const string ReaderSecret = "reader-secret-0123456789-abcdefghijklm";
    public const string Writer = "m2m-writer";
    public const string WriterSecret = "writer-secret-0123456789-abcdefghijklm";
    public const string Spa = "samples-spa";
    public const string Callback = "http://localhost:3000/callback";
    public const string Email = "demo@latchkey.local";
    public const string Password = "correct horse battery";

    private const string Tenant = """
    {
      "resource_servers": [
        { "identifier": "https://quickstarts/api", "name": "Quickstarts API", "scopes": [ { "value": "read:messages" }, { "value": "write:messages" } ], "allow_offline_access": true },
        { "identifier": "https://other.example.com", "name": "Other API", "scopes": [ { "value": "read:messages" } ] }
      ],
      "clients": [
        {
          "client_id": "samples-spa", "name": "Samples SPA", "app_type": "spa",
          "callbacks": [ "http://localhost:3000/callback" ], "allowed_logout_urls": [ "http://localhost:3000/" ],
          "web_origins": [ "http://localhost:3000" ], "grant_types": [ "authorization_code", "refresh_token" ]
        },
        { "client_id": "m2m-reader", "client_secret": "reader-secret-0123456789-abcdefghijklm", "name": "Reader", "app_type": "non_interactive", "grant_types": [ "client_credentials" ] },
        { "client_id": "m2m-writer", "client_secret": "writer-secret-0123456789-abcdefghijklm", "name": "Writer", "app_type": "non_interactive", "grant_types": [ "client_credentials" ] }
      ],
      "client_grants": [
        { "client_id": "m2m-reader", "audience": "https://quickstarts/api", "scope": [ "read:messages" ] },
        { "client_id": "m2m-reader", "audience": "https://other.example.com", "scope": [ "read:messages" ] },
        { "client_id": "m2m-writer", "audience": "https://quickstarts/api", "scope": [ "write:messages" ] }
      ],
      "users": [
        { "email": "demo@latchkey.local", "password": "correct horse battery", "email_verified": true, "name": "Demo" }
      ]
    }
    """;

    public LatchkeyTestServer Latchkey { get; private set; } = null!;

    public SampleApiHost Sample { get; private set; } = null!;

    public ExpressApi Express { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Latchkey = await LatchkeyTestServer.StartAsync(Tenant);
        Sample = await SampleApiHost.StartAsync(Latchkey.Issuer, Api);
        Express = await ExpressApi.StartAsync(Latchkey.Issuer, Api);
    }

    public async Task DisposeAsync()
    {
        await Express.DisposeAsync();
        await Sample.DisposeAsync();
        await Latchkey.DisposeAsync();
    }
}
